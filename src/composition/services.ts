/**
 * The composition root: the only place that decides which adapters back the ports. `services()`
 * builds them once per process, on first use; triggers take what they need through
 * `withServices` (./handlers), the CLI and `npm start` open storage through ./storage.
 */
import type { InvocationContext } from '@azure/functions';

import { purgeBlobsBefore } from '../adapters/blobs/blobPurge';
import { durableTicketWorkflow, durableWorkflowMonitor } from '../adapters/durable/durableTicketWorkflow';
import { directoriesFromConnections } from '../adapters/graph/directoryConnection';
import { parseMime } from '../adapters/mail/mimeParser';
import { countInterruptions } from '../adapters/notify/countInterruptions';
import { WorkflowsWebhook } from '../adapters/notify/workflowsWebhook';
import { PsaWriteBack } from '../adapters/psa/psaWriteBack';
import { blobClaimStore } from '../adapters/queues/jsonQueue';
import { startAzureMonitor, withOutcomeTelemetry } from '../adapters/telemetry/azureMonitor';
import { appClock } from '../appClock';
import { applyClientProfile } from '../clientProfileSetting';
import { type AppConfig, readConfig } from '../config';
import { audienceOf, AUDIENCES } from '../domain/alerts';
import type { ClaimStore } from '../domain/claim';
import type { CategoryModel } from '../domain/classification';
import { acknowledgeAtOnce, type AcknowledgeNow } from '../intake/acknowledgeAtOnce';
import type { MailIntake } from '../intake/placeMail';
import { poisonQueueName } from '../names';
import type {
  AlertDeliveryLedger,
  AlertFailureLog,
  ChatWebhook,
  TicketAlertLog,
} from '../ports/alertDelivery';
import type { Assistant, AssistantUsageLedger } from '../ports/assistant';
import type { AuditLog } from '../ports/auditLog';
import type { ClientStore } from '../ports/clientStore';
import type { DirectoryFor } from '../ports/directory';
import type { DeliveryLedger, EmailSender, Outbox } from '../ports/emailSender';
import type { GraphMailbox, SubscriptionStore } from '../ports/graphMail';
import type { IntakeQueue, PoisonQueue } from '../ports/intakeQueue';
import type { KbImages, KnowledgeBase } from '../ports/knowledgeBase';
import type { Notifier } from '../ports/notifier';
import type { OutcomeLog } from '../ports/outcomeLog';
import type { PsaConnection } from '../ports/psaApi';
import type { PsaConnector } from '../ports/psaConnector';
import type { RawCopies } from '../ports/rawCopies';
import type { ResolutionLog } from '../ports/resolutionLog';
import type { ReviewStore } from '../ports/reviewStore';
import type { TicketStore } from '../ports/ticketStore';
import type { TicketWorkflow, TicketWorkflowInput, WorkflowMonitor } from '../ports/ticketWorkflow';
import type { TokenStore } from '../ports/tokenStore';
import { assistantFromConfig } from './assistant';
import { loadClassifier } from './classifier';
import { managedIdentity } from './credentials';
import { graphFromConfig } from './graph';
import { mailSenderFromConfig } from './mail';
import { psaFromConfig } from './psa';
import { openStorage } from './storage';

/** What the app's functions are given: ports, settings and the clock; never an SDK client. */
export interface Services {
  config: AppConfig;
  tickets: TicketStore;
  clients: ClientStore;
  mail: EmailSender;
  /**
   * Sends a new ticket's acknowledgement while its requester waits, for every intake (API, portal,
   * follow-ups, mail and webhooks): one per process, so a throttled mail service pauses them all
   * after the same few misses, not each function after its own.
   */
  acknowledgeNow: AcknowledgeNow;
  outbox?: Outbox;
  /** Which mails went out through ACS or Graph (and what delivery reports said of them). */
  sendLedger?: DeliveryLedger;
  notifier: Notifier;
  /** Which alerts went out on which channel; only when AUTOTIER_NOTIFY is set. */
  alertDeliveries?: AlertDeliveryLedger;
  /** The alerts each ticket raised, and the deliveries of them that failed. */
  alertLog: AlertFailureLog & TicketAlertLog;
  chatWebhook: ChatWebhook;
  psa: PsaConnector;
  resolutions: ResolutionLog;
  /** Outcome events, per-ticket summaries and interruptions: what the metrics read. */
  outcomes: OutcomeLog;
  tokens: TokenStore;
  linkSigningKey: string;
  publicBaseUrl: string;
  classifier?: CategoryModel;
  kb: KnowledgeBase;
  review: ReviewStore;
  intake: IntakeQueue;
  /** Intake deliveries too large for a queue message, claimed from Blob storage. */
  intakeClaims: ClaimStore;
  psaConnection?: PsaConnection;
  mailIntake: MailIntake;
  graphMail?: GraphMailbox;
  graphSubscriptions?: SubscriptionStore;
  audit: AuditLog;
  directoryFor: DirectoryFor;
  kbImages: KbImages;
  /** Raw mail, review entries and claim-checked deliveries: purged after the raw retention. */
  rawCopies: RawCopies[];
  /** The ticket workflows, through the durable client binding of one invocation. */
  workflowFor: (context: InvocationContext) => TicketWorkflow;
  monitorFor: (context: InvocationContext) => WorkflowMonitor;
  /** The queue a queue trigger parks `queue`'s failing messages in. */
  poisonQueue: (queue: string) => PoisonQueue;
  actor: string;
  now: () => Date;
  /** The optional Azure OpenAI assistant and its usage ledger: only when configured. */
  assistant?: Assistant;
  assistantUsage?: AssistantUsageLedger;
  startTicket?: (input: TicketWorkflowInput) => Promise<void>;
}

let built: Promise<Services> | undefined;
let telemetryStarted = false;

export function services(): Promise<Services> {
  built ??= buildServices().catch((err: unknown) => {
    built = undefined; // let the next invocation try again (e.g. storage was briefly unreachable)
    throw err;
  });
  return built;
}

async function buildServices(): Promise<Services> {
  const config = readConfig();
  if (!config.linkSigningKey || config.linkSigningKey.length < 32) {
    throw new Error('AUTOTIER_LINK_SIGNING_KEY must be set to a random value of at least 32 characters');
  }
  const storage = openStorage(config);
  const tickets = storage.tickets();
  const clients = storage.clients();
  const queues = new Map(AUDIENCES.map((audience) => [audience, storage.alertQueue(audience)]));
  const events = storage.events((n) => queues.get(audienceOf(n)));
  const alertDeliveries = config.notify ? storage.alertDeliveries() : undefined;
  const resolutions = storage.resolutions();
  const tableOutcomes = storage.outcomes();
  // In Azure the outcome events also go to Application Insights (the workbook and alert rules read
  // them); ingestion signs in with the app's identity, local auth being off on the resource.
  const insights = config.appInsightsConnectionString;
  if (insights && !telemetryStarted) {
    startAzureMonitor(insights, managedIdentity(config));
    telemetryStarted = true;
  }
  const outcomes = insights ? withOutcomeTelemetry(tableOutcomes) : tableOutcomes;
  const tokens = storage.tokens();
  const kb = storage.kb();
  const review = storage.review();
  const intakeOverflow = storage.intakeOverflow();
  const intake = storage.intake();
  const threads = storage.mailThreads();
  const audit = storage.audit();
  const mailStore = storage.mailStore();
  await Promise.all([
    ...[...queues.values()].map((q) => q.ensureQueue()),
    alertDeliveries?.ensureTable(),
    tickets.ensureTable(),
    clients.ensureTable(),
    events.ensureTable(),
    resolutions.ensureTable(),
    tableOutcomes.ensureTable(),
    tokens.ensureTable(),
    kb.ensureTable(),
    review.ensureTable(),
    intake.ensureQueue(),
    threads.ensureTable(),
    audit.ensureTable(),
    mailStore.ensureContainer(),
  ]);
  if (config.clientProfile) await applyClientProfile(clients, config.clientProfile);
  const { mail, outbox, sendLedger } = await mailSenderFromConfig(config, storage);
  const psaConnection = psaFromConfig(config);
  const graph = await graphFromConfig(config, storage);
  return {
    config,
    tickets,
    clients,
    mail,
    acknowledgeNow: acknowledgeAtOnce(mail, () => new Date(appClock.now())),
    outbox,
    sendLedger,
    notifier: countInterruptions(events, outcomes),
    alertDeliveries,
    alertLog: events,
    chatWebhook: new WorkflowsWebhook(),
    psa: psaConnection
      ? new PsaWriteBack(
          psaConnection.api,
          psaConnection.mapping,
          tickets,
          events,
          () => new Date(appClock.now()),
        )
      : events,
    resolutions,
    outcomes,
    tokens,
    linkSigningKey: config.linkSigningKey,
    publicBaseUrl: config.publicBaseUrl,
    classifier: await loadClassifier(storage.models()),
    kb,
    review,
    intake,
    intakeClaims: blobClaimStore(intakeOverflow),
    psaConnection,
    mailIntake: {
      tickets,
      clients,
      threads,
      store: mailStore,
      ownAddresses: [config.mailFrom, config.supportMailbox].filter((a): a is string => !!a),
      parse: parseMime,
    },
    ...graph,
    audit,
    directoryFor: directoriesFromConnections(),
    kbImages: storage.kbImages(),
    rawCopies: [
      mailStore,
      review,
      {
        name: 'claim-checked deliveries',
        purgeBefore: (cutoff: Date) => purgeBlobsBefore(intakeOverflow, '', cutoff),
      },
    ],
    workflowFor: durableTicketWorkflow,
    monitorFor: durableWorkflowMonitor,
    poisonQueue: (queue) => storage.queue(poisonQueueName(queue)),
    actor: 'autotier',
    now: () => new Date(appClock.now()),
    ...(await assistantFromConfig(storage, () => new Date(appClock.now()))),
  };
}
