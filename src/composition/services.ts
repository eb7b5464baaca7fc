/**
 * Composition root: the only place that decides which adapters back the ports. Functions ask for
 * `services()`; adapters are built once per process, on first use.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { EmailClient } from '@azure/communication-email';
import { app } from '@azure/functions';
import { ClientSecretCredential, DefaultAzureCredential, type TokenCredential } from '@azure/identity';

import { BlobKbImages } from './adapters/blobs/blobKbImages';
import { BlobMailStore } from './adapters/blobs/blobMailStore';
import { BlobModelStore } from './adapters/blobs/blobModelStore';
import { purgeBlobsBefore } from './adapters/blobs/blobPurge';
import { AcsEmailSender } from './adapters/email/acsEmailSender';
import { GraphEmailSender } from './adapters/email/graphEmailSender';
import { SendLedger } from './adapters/email/sendLedger';
import { TableOutbox } from './adapters/email/tableOutbox';
import { directoriesFromConnections } from './adapters/graph/directoryConnection';
import { GRAPH_SCOPE } from './adapters/graph/graphDirectory';
import { GraphMail } from './adapters/graph/graphMail';
import { RestClient } from './adapters/http/restClient';
import { parseMime } from './adapters/mail/mimeParser';
import { countInterruptions } from './adapters/notify/countInterruptions';
import { WorkflowsWebhook } from './adapters/notify/workflowsWebhook';
import { AutotaskApi } from './adapters/psa/autotaskApi';
import { ConnectWiseApi, ConnectWiseSigningKeys } from './adapters/psa/connectWiseApi';
import { HaloApi } from './adapters/psa/haloApi';
import { PsaWriteBack } from './adapters/psa/psaWriteBack';
import { blobClaimStore, JsonQueue } from './adapters/queues/jsonQueue';
import {
  createBlobServiceClient,
  createQueueClient,
  createTableClient,
  storageConnectionFromSettings,
} from './adapters/tables/storageClients';
import { TableAlertDeliveries } from './adapters/tables/tableAlertDeliveries';
import { TableAuditLog } from './adapters/tables/tableAuditLog';
import { TableClientStore } from './adapters/tables/tableClientStore';
import { TableEventLog } from './adapters/tables/tableEventLog';
import { TableKnowledgeBase } from './adapters/tables/tableKnowledgeBase';
import { TableMailThreads } from './adapters/tables/tableMailThreads';
import { tableName } from './adapters/tables/tableNames';
import { TableOutcomeLog } from './adapters/tables/tableOutcomeLog';
import { TableResolutionLog } from './adapters/tables/tableResolutionLog';
import { TableReviewStore } from './adapters/tables/tableReviewStore';
import { TableSubscriptionStore } from './adapters/tables/tableSubscriptionStore';
import { TableTicketStore } from './adapters/tables/tableTicketStore';
import { TableTokenStore } from './adapters/tables/tableTokenStore';
import { startAzureMonitor, withOutcomeTelemetry } from './adapters/telemetry/azureMonitor';
import { appClock } from './appClock';
import { applyClientProfile } from './clientProfileSetting';
import {
  type AppConfig,
  intakeContainer,
  kbImagesContainer,
  mailContainer,
  modelContainer,
  readConfig,
} from './config';
import { alertQueueName, audienceOf, AUDIENCES } from './domain/alerts';
import { isCategory } from './domain/categories';
import type { ClaimStore } from './domain/claim';
import type { CategoryModel } from './domain/classification';
import type { InboundMail } from './domain/mail';
import { TextClassifier } from './domain/model/textClassifier';
import { parsePsaMapping, type PsaMapping, type PsaVendor } from './domain/psa';
import type { IntakeMessage } from './domain/webhookIntake';
import { guardStorageOutage } from './functions/http/storageOutage';
import type { AlertDeliveryLedger, ChatWebhook } from './ports/alertDelivery';
import type { AuditLog } from './ports/auditLog';
import type { ClientStore } from './ports/clientStore';
import type { DirectoryFor } from './ports/directory';
import type { EmailSender, Outbox } from './ports/emailSender';
import type { KbImages, KnowledgeBase } from './ports/knowledgeBase';
import type { MailStore, MailThreads } from './ports/mailStore';
import type { Notification, Notifier } from './ports/notifier';
import type { OutcomeLog } from './ports/outcomeLog';
import type { PsaApi } from './ports/psaApi';
import type { PsaConnector } from './ports/psaConnector';
import type { RawCopies } from './ports/rawCopies';
import type { ResolutionLog } from './ports/resolutionLog';
import type { ReviewStore } from './ports/reviewStore';
import type { TicketStore } from './ports/ticketStore';
import type { TokenStore } from './ports/tokenStore';

app.setup({ enableHttpStream: false });

// A setting the platform could not resolve (a Key Vault reference left as its literal text) stops
// the app as it starts, naming the setting, rather than failing each request later.
app.hook.appStart(() => {
  readConfig();
});

// Storage down is not a bug: every HTTP function answers 503 with Retry-After rather than a 500.
app.hook.preInvocation((context) => {
  if (context.invocationContext.options.trigger.type === 'httpTrigger')
    context.functionHandler = guardStorageOutage(context.functionHandler);
});

/** The built-in model, trained by `npm run build` from data/msp-tickets.csv (its train split). */
export const BUILTIN_MODEL_FILE = path.resolve(__dirname, '..', 'models', 'builtin.bin.gz');

/** The PSA this deployment works with: its API, how its companies and boards map, its webhook secrets. */
export interface PsaConnection {
  vendor: PsaVendor;
  api: PsaApi;
  mapping: PsaMapping;
  webhookSecrets: string[];
  /** ConnectWise only: the signing keys its callbacks name, and the API root they must live under. */
  signingKeys?: { get(url: string): Promise<string> };
  apiBaseUrl?: string;
}

export interface MailIntake {
  tickets: TicketStore;
  clients: ClientStore;
  threads: MailThreads;
  store: MailStore;
  ownAddresses: string[];
  parse: (raw: Buffer) => Promise<InboundMail>;
}

export interface Services {
  config: AppConfig;
  tickets: TicketStore;
  clients: ClientStore;
  mail: EmailSender;
  outbox?: Outbox;
  /** Which mails went out through ACS or Graph (and what delivery reports said of them). */
  sendLedger?: SendLedger;
  notifier: Notifier;
  /** Which alerts went out on which channel; only when AUTOTIER_NOTIFY is set. */
  alertDeliveries?: AlertDeliveryLedger;
  chatWebhook: ChatWebhook;
  psa: PsaConnector;
  events: TableEventLog;
  resolutions: ResolutionLog;
  /** Outcome events, per-ticket summaries and interruptions: what the metrics read. */
  outcomes: OutcomeLog;
  tokens: TokenStore;
  linkSigningKey: string;
  publicBaseUrl: string;
  classifier?: CategoryModel;
  kb: KnowledgeBase;
  review: ReviewStore;
  intake: JsonQueue<IntakeMessage>;
  /** Intake deliveries too large for a queue message, claimed from Blob storage. */
  intakeClaims: ClaimStore;
  psaConnection?: PsaConnection;
  mailIntake: MailIntake;
  graphMail?: GraphMail;
  graphSubscriptions?: TableSubscriptionStore;
  audit: AuditLog;
  directoryFor: DirectoryFor;
  kbImages: KbImages;
  /** Raw mail, review entries and claim-checked deliveries: purged after the raw retention. */
  rawCopies: RawCopies[];
  actor: string;
  now: () => Date;
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
  const storage = storageConnectionFromSettings('AzureWebJobsStorage');
  const table = (base: string) => createTableClient(storage, tableName(config.tablePrefix, base));
  const tickets = new TableTicketStore(table('Tickets'));
  const clients = new TableClientStore(table('Clients'));
  const queues = new Map(
    AUDIENCES.map((audience) => [
      audience,
      new JsonQueue<Notification>(
        createQueueClient(storage, alertQueueName(config.tierQueuePrefix, audience)),
      ),
    ]),
  );
  const events = new TableEventLog(table('Events'), (n) => queues.get(audienceOf(n)));
  const alertDeliveries = config.notify ? new TableAlertDeliveries(table('AlertDeliveries')) : undefined;
  const resolutions = new TableResolutionLog(table('Resolutions'));
  const tableOutcomes = new TableOutcomeLog(table('Outcomes'));
  // In Azure the outcome events also go to Application Insights (the workbook and alert rules read
  // them); ingestion signs in with the app's identity, local auth being off on the resource.
  const insights = process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  if (insights && !telemetryStarted) {
    const clientId = process.env.AZURE_CLIENT_ID;
    startAzureMonitor(
      insights,
      new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {}),
    );
    telemetryStarted = true;
  }
  const outcomes = insights ? withOutcomeTelemetry(tableOutcomes) : tableOutcomes;
  const tokens = new TableTokenStore(table('Tokens'));
  const kb = new TableKnowledgeBase(table('Kb'));
  const review = new TableReviewStore(table('Review'));
  const intakeOverflow = createBlobServiceClient(storage).getContainerClient(
    intakeContainer(config.tablePrefix),
  );
  const intake = new JsonQueue<IntakeMessage>(createQueueClient(storage, config.intakeQueue), intakeOverflow);
  const threads = new TableMailThreads(table('MailThreads'));
  const audit = new TableAuditLog(table('Audit'));
  const mailStore = new BlobMailStore(
    createBlobServiceClient(storage).getContainerClient(mailContainer(config.tablePrefix)),
  );
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
  let mail: EmailSender;
  let outbox: Outbox | undefined;
  let sendLedger: SendLedger | undefined;
  if (config.mailMode === 'outbox') {
    const outboxTable = table('Outbox');
    await outboxTable.createTable();
    const tableOutbox = new TableOutbox(outboxTable, () => new Date(appClock.now()), config.supportMailbox);
    mail = tableOutbox;
    outbox = tableOutbox;
  } else if (config.mailMode === 'graph') {
    if (!config.supportMailbox)
      throw new Error('AUTOTIER_SUPPORT_MAILBOX must be set when AUTOTIER_MAIL_MODE=graph');
    const ledger = new SendLedger(table('SentMail'));
    await ledger.ensureTable();
    sendLedger = ledger;
    mail = new GraphEmailSender(graphRestClient(config), config.supportMailbox, ledger, {
      replyTo: config.supportMailbox,
    });
  } else {
    if (!config.acsEndpoint) throw new Error('AUTOTIER_ACS_ENDPOINT must be set when AUTOTIER_MAIL_MODE=acs');
    const clientId = process.env.AZURE_CLIENT_ID;
    const ledger = new SendLedger(table('SentMail'));
    await ledger.ensureTable();
    sendLedger = ledger;
    mail = new AcsEmailSender(
      new EmailClient(
        config.acsEndpoint,
        new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {}),
      ),
      ledger,
      config.mailFrom,
      { replyTo: config.supportMailbox },
    );
  }
  const psaConnection = psaFromConfig(config);
  const graph = await graphFromConfig(config, table('Graph'));
  return {
    config,
    tickets,
    clients,
    mail,
    outbox,
    sendLedger,
    notifier: countInterruptions(events, outcomes),
    alertDeliveries,
    chatWebhook: new WorkflowsWebhook(),
    psa: psaConnection ? new PsaWriteBack(psaConnection.api, psaConnection.mapping, tickets, events) : events,
    events,
    resolutions,
    outcomes,
    tokens,
    linkSigningKey: config.linkSigningKey,
    publicBaseUrl: config.publicBaseUrl,
    classifier: await loadClassifier(
      new BlobModelStore(createBlobServiceClient(storage), modelContainer(config.tablePrefix)),
    ),
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
    kbImages: new BlobKbImages(
      createBlobServiceClient(storage).getContainerClient(kbImagesContainer(config.tablePrefix)),
    ),
    rawCopies: [
      mailStore,
      review,
      {
        name: 'claim-checked deliveries',
        purgeBefore: (cutoff: Date) => purgeBlobsBefore(intakeOverflow, '', cutoff),
      },
    ],
    actor: 'autotier',
    now: () => new Date(appClock.now()),
  };
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} must be set when AUTOTIER_PSA_TYPE is set`);
  return value;
}

/** The PSA adapter AUTOTIER_PSA_TYPE names, with its settings; undefined for `none`. */
function psaFromConfig(config: AppConfig): PsaConnection | undefined {
  if (config.psaType === 'none') return undefined;
  const env = process.env;
  const baseUrl = required(env.AUTOTIER_PSA_BASE_URL, 'AUTOTIER_PSA_BASE_URL');
  const mapping = parsePsaMapping(env.AUTOTIER_PSA_MAPPING);
  const webhookSecrets = config.psaWebhookSecrets;
  if (config.psaType === 'connectwise') {
    const settings = {
      baseUrl,
      companyId: required(env.AUTOTIER_PSA_COMPANY_ID, 'AUTOTIER_PSA_COMPANY_ID'),
      publicKey: required(env.AUTOTIER_PSA_USERNAME, 'AUTOTIER_PSA_USERNAME'),
      privateKey: required(env.AUTOTIER_PSA_SECRET, 'AUTOTIER_PSA_SECRET'),
      clientId: required(env.AUTOTIER_PSA_CLIENT_ID, 'AUTOTIER_PSA_CLIENT_ID'),
    };
    return {
      vendor: 'connectwise',
      api: new ConnectWiseApi(settings),
      mapping,
      webhookSecrets,
      signingKeys: new ConnectWiseSigningKeys(settings),
      apiBaseUrl: settings.baseUrl,
    };
  }
  if (config.psaType === 'autotask') {
    const api = new AutotaskApi({
      baseUrl,
      integrationCode: required(env.AUTOTIER_PSA_CLIENT_ID, 'AUTOTIER_PSA_CLIENT_ID'),
      userName: required(env.AUTOTIER_PSA_USERNAME, 'AUTOTIER_PSA_USERNAME'),
      secret: required(env.AUTOTIER_PSA_SECRET, 'AUTOTIER_PSA_SECRET'),
    });
    return { vendor: 'autotask', api, mapping, webhookSecrets };
  }
  const api = new HaloApi({
    baseUrl,
    clientId: required(env.AUTOTIER_PSA_CLIENT_ID, 'AUTOTIER_PSA_CLIENT_ID'),
    clientSecret: required(env.AUTOTIER_PSA_SECRET, 'AUTOTIER_PSA_SECRET'),
  });
  return { vendor: 'halopsa', api, mapping, webhookSecrets };
}

/** Microsoft Graph with the app's identity in the client's tenant (or none, for a local emulator). */
function graphRestClient(config: AppConfig): RestClient {
  const env = process.env;
  let credential: TokenCredential | undefined;
  if (config.graphAuth === 'client-secret') {
    const [tenant, clientId, secret] = [
      env.AUTOTIER_GRAPH_TENANT_ID,
      env.AUTOTIER_GRAPH_CLIENT_ID,
      env.AUTOTIER_GRAPH_CLIENT_SECRET,
    ];
    if (!tenant || !clientId || !secret)
      throw new Error(
        'AUTOTIER_GRAPH_TENANT_ID, AUTOTIER_GRAPH_CLIENT_ID and AUTOTIER_GRAPH_CLIENT_SECRET must be set for Graph auth client-secret',
      );
    credential = new ClientSecretCredential(tenant, clientId, secret);
  } else if (config.graphAuth === 'managed-identity') {
    const clientId = env.AZURE_CLIENT_ID;
    credential = new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
  }
  return new RestClient({
    vendor: 'graph',
    baseUrl: config.graphBaseUrl,
    headers: async (): Promise<Record<string, string>> => {
      if (!credential) return {};
      const token = await credential.getToken(GRAPH_SCOPE);
      if (!token) throw new Error('no Graph token');
      return { authorization: `Bearer ${token.token}` };
    },
  });
}

/** Graph mail intake, when a support mailbox and a client state are configured. */
async function graphFromConfig(
  config: AppConfig,
  subscriptions: ReturnType<typeof createTableClient>,
): Promise<{ graphMail?: GraphMail; graphSubscriptions?: TableSubscriptionStore }> {
  if (!config.supportMailbox || config.graphClientStates.length === 0) return {};
  const http = graphRestClient(config);
  const store = new TableSubscriptionStore(subscriptions);
  await store.ensureTable();
  return { graphMail: new GraphMail(http, config.supportMailbox), graphSubscriptions: store };
}

/** The published model if there is one whose labels are all categories, else the built-in one. */
async function loadClassifier(store: BlobModelStore): Promise<CategoryModel | undefined> {
  const published = await store.loadCurrent();
  if (published) {
    const unknown = published.info.labels.filter((l) => !isCategory(l));
    if (unknown.length === 0) return TextClassifier.deserialize(published.model);
    console.warn(
      `published model v${published.info.version} has labels that are not categories (${unknown.join(', ')}); using the built-in model`,
    );
  }
  return existsSync(BUILTIN_MODEL_FILE)
    ? TextClassifier.deserialize(readFileSync(BUILTIN_MODEL_FILE))
    : undefined;
}
