import { BlobKbImages } from '../adapters/blobs/blobKbImages';
import { BlobMailStore } from '../adapters/blobs/blobMailStore';
import { BlobModelStore } from '../adapters/blobs/blobModelStore';
import { SendLedger } from '../adapters/email/sendLedger';
import { TableOutbox } from '../adapters/email/tableOutbox';
import { JsonQueue } from '../adapters/queues/jsonQueue';
import {
  createBlobServiceClient,
  createQueueClient,
  createTableClient,
  type StorageConnection,
  storageConnectionFromSettings,
} from '../adapters/tables/storageClients';
import { TableAlertDeliveries } from '../adapters/tables/tableAlertDeliveries';
import { TableAuditLog } from '../adapters/tables/tableAuditLog';
import { TableClientStore } from '../adapters/tables/tableClientStore';
import { TableEventLog } from '../adapters/tables/tableEventLog';
import { TableKnowledgeBase } from '../adapters/tables/tableKnowledgeBase';
import { TableMailThreads } from '../adapters/tables/tableMailThreads';
import { TableOutcomeLog } from '../adapters/tables/tableOutcomeLog';
import { TableResolutionLog } from '../adapters/tables/tableResolutionLog';
import { TableReviewStore } from '../adapters/tables/tableReviewStore';
import { TableSubscriptionStore } from '../adapters/tables/tableSubscriptionStore';
import { TableTicketStore } from '../adapters/tables/tableTicketStore';
import { TableTokenStore } from '../adapters/tables/tableTokenStore';
import { type AppConfig, readConfig } from '../config';
import type { Audience } from '../domain/alerts';
import type { IntakeMessage } from '../domain/webhookIntake';
import { alertQueueName, containerName, Containers, type TableBase, tableName, Tables } from '../names';
import type { Notification } from '../ports/notifier';

/**
 * How long a process uses a client profile, or a client's knowledge-base articles, that it read
 * before reading them again. Every step of a ticket needs its client's profile, and every guide
 * the articles: this makes them one read per client every few seconds, not one per step. A
 * profile or article changed in another process (the CLI, another instance) takes effect within
 * this long; one this process writes, at once.
 */
export const CLIENT_SETTINGS_MAX_AGE_MS = 5_000;

/**
 * The deployment's storage adapters, each built when asked for, from the app settings and the
 * names in src/names.ts. The app's composition root, the CLI, `npm start` and the bench all open
 * storage here, so a table, queue or container is named and wired in one place.
 */
export function openStorage(
  config: AppConfig = readConfig(),
  connection: StorageConnection = storageConnectionFromSettings('AzureWebJobsStorage'),
) {
  const table = (base: TableBase) => createTableClient(connection, tableName(config.tablePrefix, base));
  const container = (name: (typeof Containers)[keyof typeof Containers]) =>
    createBlobServiceClient(connection).getContainerClient(containerName(config.tablePrefix, name));
  const queue = (name: string) => createQueueClient(connection, name);
  return {
    config,
    connection,
    /** A table by its base name, for the few callers that need the SDK client itself. */
    table,
    queue,
    /** The container that holds intake deliveries too large for a queue message. */
    intakeOverflow: () => container(Containers.intake),
    tickets: () => new TableTicketStore(table(Tables.tickets)),
    clients: () => new TableClientStore(table(Tables.clients), { maxAgeMs: CLIENT_SETTINGS_MAX_AGE_MS }),
    alertQueue: (audience: Audience) =>
      new JsonQueue<Notification>(queue(alertQueueName(config.tierQueuePrefix, audience))),
    events: (queueFor?: (n: Notification) => JsonQueue<Notification> | undefined) =>
      new TableEventLog(table(Tables.events), queueFor),
    alertDeliveries: () => new TableAlertDeliveries(table(Tables.alertDeliveries)),
    resolutions: () => new TableResolutionLog(table(Tables.resolutions)),
    outcomes: () => new TableOutcomeLog(table(Tables.outcomes)),
    tokens: () => new TableTokenStore(table(Tables.tokens)),
    kb: () => new TableKnowledgeBase(table(Tables.kb), { maxAgeMs: CLIENT_SETTINGS_MAX_AGE_MS }),
    kbImages: () => new BlobKbImages(container(Containers.kbImages)),
    /** The knowledge base's picture container, as the CLI's import and export write it. */
    kbImagesContainer: () => container(Containers.kbImages),
    review: () => new TableReviewStore(table(Tables.review)),
    intake: () => new JsonQueue<IntakeMessage>(queue(config.intakeQueue), container(Containers.intake)),
    mailThreads: () => new TableMailThreads(table(Tables.mailThreads)),
    mailStore: () => new BlobMailStore(container(Containers.mail)),
    audit: () => new TableAuditLog(table(Tables.audit)),
    outbox: (now?: () => Date, replyTo?: string) => new TableOutbox(table(Tables.outbox), now, replyTo),
    sendLedger: () => new SendLedger(table(Tables.sentMail)),
    graphSubscriptions: () => new TableSubscriptionStore(table(Tables.graphSubscriptions)),
    models: () =>
      new BlobModelStore(
        createBlobServiceClient(connection),
        containerName(config.tablePrefix, Containers.models),
      ),
  };
}

export type Storage = ReturnType<typeof openStorage>;
