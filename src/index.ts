/**
 * Composition root: the only place that decides which adapters back the ports. Functions ask for
 * `services()`; adapters are built once per process, on first use.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { EmailClient } from '@azure/communication-email';
import { app } from '@azure/functions';
import { DefaultAzureCredential } from '@azure/identity';

import { BlobModelStore } from './adapters/blobs/blobModelStore';
import { AcsEmailSender } from './adapters/email/acsEmailSender';
import { TableOutbox } from './adapters/email/tableOutbox';
import { JsonQueue } from './adapters/queues/jsonQueue';
import {
  createBlobServiceClient,
  createQueueClient,
  createTableClient,
  storageConnectionFromSettings,
} from './adapters/tables/storageClients';
import { TableClientStore } from './adapters/tables/tableClientStore';
import { TableEventLog } from './adapters/tables/tableEventLog';
import { TableKnowledgeBase } from './adapters/tables/tableKnowledgeBase';
import { tableName } from './adapters/tables/tableNames';
import { TableResolutionLog } from './adapters/tables/tableResolutionLog';
import { TableReviewStore } from './adapters/tables/tableReviewStore';
import { TableTicketStore } from './adapters/tables/tableTicketStore';
import { TableTokenStore } from './adapters/tables/tableTokenStore';
import { appClock } from './appClock';
import { applyClientProfile } from './clientProfileSetting';
import { type AppConfig, modelContainer, readConfig } from './config';
import { isCategory } from './domain/categories';
import type { CategoryModel } from './domain/classification';
import { TextClassifier } from './domain/model/textClassifier';
import type { IntakeMessage } from './domain/webhookIntake';
import type { ClientStore } from './ports/clientStore';
import type { EmailSender, Outbox } from './ports/emailSender';
import type { KnowledgeBase } from './ports/knowledgeBase';
import type { Notification, Notifier } from './ports/notifier';
import type { PsaConnector } from './ports/psaConnector';
import type { ResolutionLog } from './ports/resolutionLog';
import type { ReviewStore } from './ports/reviewStore';
import type { TicketStore } from './ports/ticketStore';
import type { TokenStore } from './ports/tokenStore';

app.setup({ enableHttpStream: false });

/** The built-in model, trained by `npm run build` from data/msp-tickets.csv (its train split). */
export const BUILTIN_MODEL_FILE = path.resolve(__dirname, '..', 'models', 'builtin.bin.gz');

export interface Services {
  config: AppConfig;
  tickets: TicketStore;
  clients: ClientStore;
  mail: EmailSender;
  outbox?: Outbox;
  notifier: Notifier;
  psa: PsaConnector;
  events: TableEventLog;
  resolutions: ResolutionLog;
  tokens: TokenStore;
  linkSigningKey: string;
  publicBaseUrl: string;
  classifier?: CategoryModel;
  kb: KnowledgeBase;
  review: ReviewStore;
  intake: JsonQueue<IntakeMessage>;
  now: () => Date;
}

let built: Promise<Services> | undefined;

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
  const queues = [1, 2, 3].map(
    (tier) => new JsonQueue<Notification>(createQueueClient(storage, `${config.tierQueuePrefix}${tier}`)),
  );
  const events = new TableEventLog(table('Events'), (tier) => queues[Math.min(Math.max(tier, 1), 3) - 1]);
  const resolutions = new TableResolutionLog(table('Resolutions'));
  const tokens = new TableTokenStore(table('Tokens'));
  const kb = new TableKnowledgeBase(table('Kb'));
  const review = new TableReviewStore(table('Review'));
  const intake = new JsonQueue<IntakeMessage>(createQueueClient(storage, config.intakeQueue));
  await Promise.all([
    ...queues.map((q) => q.ensureQueue()),
    tickets.ensureTable(),
    clients.ensureTable(),
    events.ensureTable(),
    resolutions.ensureTable(),
    tokens.ensureTable(),
    kb.ensureTable(),
    review.ensureTable(),
    intake.ensureQueue(),
  ]);
  if (config.clientProfile) await applyClientProfile(clients, config.clientProfile);
  let mail: EmailSender;
  let outbox: Outbox | undefined;
  if (config.mailMode === 'outbox') {
    const outboxTable = table('Outbox');
    await outboxTable.createTable();
    const tableOutbox = new TableOutbox(outboxTable, () => new Date(appClock.now()));
    mail = tableOutbox;
    outbox = tableOutbox;
  } else {
    if (!config.acsEndpoint) throw new Error('AUTOTIER_ACS_ENDPOINT must be set when AUTOTIER_MAIL_MODE=acs');
    const clientId = process.env.AZURE_CLIENT_ID;
    const acs = new AcsEmailSender(
      new EmailClient(
        config.acsEndpoint,
        new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {}),
      ),
      table('SentMail'),
      config.mailFrom,
    );
    await acs.ensureTable();
    mail = acs;
  }
  return {
    config,
    tickets,
    clients,
    mail,
    outbox,
    notifier: events,
    psa: events,
    events,
    resolutions,
    tokens,
    linkSigningKey: config.linkSigningKey,
    publicBaseUrl: config.publicBaseUrl,
    classifier: await loadClassifier(
      new BlobModelStore(createBlobServiceClient(storage), modelContainer(config.tablePrefix)),
    ),
    kb,
    review,
    intake,
    now: () => new Date(appClock.now()),
  };
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
