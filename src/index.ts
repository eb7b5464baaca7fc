/**
 * Composition root: the only place that decides which adapters back the ports. Functions ask for
 * `services()`; adapters are built once per process, on first use.
 */
import { app } from '@azure/functions';

import { TableOutbox } from './adapters/email/tableOutbox';
import { createTableClient, storageConnectionFromSettings } from './adapters/tables/storageClients';
import { tableName } from './adapters/tables/tableNames';
import { TableTicketStore } from './adapters/tables/tableTicketStore';
import { type AppConfig, readConfig } from './config';
import type { EmailSender, Outbox } from './ports/emailSender';
import type { TicketStore } from './ports/ticketStore';

app.setup({ enableHttpStream: false });

export interface Services {
  config: AppConfig;
  tickets: TicketStore;
  mail: EmailSender;
  outbox?: Outbox;
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
  const storage = storageConnectionFromSettings('AzureWebJobsStorage');
  const tickets = new TableTicketStore(createTableClient(storage, tableName(config.tablePrefix, 'Tickets')));
  await tickets.ensureTable();
  let mail: EmailSender;
  let outbox: Outbox | undefined;
  if (config.mailMode === 'outbox') {
    const table = createTableClient(storage, tableName(config.tablePrefix, 'Outbox'));
    await table.createTable();
    const tableOutbox = new TableOutbox(table);
    mail = tableOutbox;
    outbox = tableOutbox;
  } else {
    throw new Error('AUTOTIER_MAIL_MODE=acs is not wired yet (see the lifecycle issue)');
  }
  return { config, tickets, mail, outbox, now: () => new Date() };
}
