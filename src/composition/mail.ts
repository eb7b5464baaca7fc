import { EmailClient } from '@azure/communication-email';

import { AcsEmailSender } from '../adapters/email/acsEmailSender';
import { GraphEmailSender } from '../adapters/email/graphEmailSender';
import { appClock } from '../appClock';
import type { AppConfig } from '../config';
import { Tables } from '../names';
import type { DeliveryLedger, EmailSender, Outbox } from '../ports/emailSender';
import { managedIdentity } from './credentials';
import { graphRestClient } from './graph';
import type { Storage } from './storage';

/** The mail sender AUTOTIER_MAIL_MODE names: the local outbox table, ACS, or Graph sendMail. */
export async function mailSenderFromConfig(
  config: AppConfig,
  storage: Storage,
): Promise<{ mail: EmailSender; outbox?: Outbox; sendLedger?: DeliveryLedger }> {
  if (config.mailMode === 'outbox') {
    const outbox = storage.outbox(() => new Date(appClock.now()), config.supportMailbox);
    await storage.table(Tables.outbox).createTable();
    return { mail: outbox, outbox };
  }
  if (config.mailMode === 'graph') {
    if (!config.supportMailbox)
      throw new Error('AUTOTIER_SUPPORT_MAILBOX must be set when AUTOTIER_MAIL_MODE=graph');
    const ledger = storage.sendLedger();
    await ledger.ensureTable();
    const mail = new GraphEmailSender(graphRestClient(config), config.supportMailbox, ledger, {
      replyTo: config.supportMailbox,
    });
    return { mail, sendLedger: ledger };
  }
  if (!config.acsEndpoint) throw new Error('AUTOTIER_ACS_ENDPOINT must be set when AUTOTIER_MAIL_MODE=acs');
  const ledger = storage.sendLedger();
  await ledger.ensureTable();
  const mail = new AcsEmailSender(
    new EmailClient(config.acsEndpoint, managedIdentity(config)),
    ledger,
    config.mailFrom,
    { replyTo: config.supportMailbox },
  );
  return { mail, sendLedger: ledger };
}
