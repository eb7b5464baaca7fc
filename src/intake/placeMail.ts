import { MAX_TICKET_BODY_CHARS } from '../domain/intake';
import {
  cleanSubject,
  type InboundMail,
  isForward,
  normalizeMessageId,
  ticketIdFromSubject,
} from '../domain/mail';
import { stripQuoted } from '../domain/quotedHistory';
import { singleLine } from '../domain/text';
import { mayAnswer, type NewTicket, type Ticket } from '../domain/ticket';
import type { ClientStore } from '../ports/clientStore';
import type { MailStore, MailThreads } from '../ports/mailStore';
import type { TicketStore } from '../ports/ticketStore';

export interface MailIntakeDeps {
  tickets: TicketStore;
  clients: ClientStore;
  threads: MailThreads;
  store: MailStore;
  /** autotier's own addresses: mail from them is never taken in (no loops). */
  ownAddresses: string[];
}

/** Mail intake as the composition root wires it: the placement's needs, and the MIME parser. */
export interface MailIntake extends MailIntakeDeps {
  parse: (raw: Buffer) => Promise<InboundMail>;
}

export type MailPlacement =
  | { kind: 'ignored'; reason: string }
  | { kind: 'review'; reason: string }
  | { kind: 'reply'; ticket: Ticket; from: string; text: string; participants: string[] }
  | { kind: 'ticket'; input: NewTicket };

const domainOf = (email: string) => email.split('@')[1]?.toLowerCase() ?? '';

/** The ticket a reply belongs to: In-Reply-To, then References (newest first), then the subject token. */
async function threadOf(mail: InboundMail, deps: MailIntakeDeps): Promise<Ticket | undefined> {
  const ids = [mail.inReplyTo, ...[...mail.references].reverse()].filter((x): x is string => !!x);
  for (const id of ids) {
    const ticketId = await deps.threads.find(id);
    const ticket = ticketId ? await deps.tickets.get(ticketId) : undefined;
    if (ticket) return ticket;
  }
  const fromSubject = ticketIdFromSubject(mail.subject);
  const ticket = fromSubject ? await deps.tickets.get(fromSubject) : undefined;
  // A subject token alone is easy to type: it threads only mail from the requester's own domain.
  return ticket && domainOf(ticket.requester.email) === domainOf(mail.from.email) ? ticket : undefined;
}

/** Decides what one inbound mail is: a reply to a ticket, a new ticket, or something to leave alone. */
export async function placeMail(
  mail: InboundMail,
  fallbackId: string,
  deps: MailIntakeDeps,
): Promise<MailPlacement> {
  const own = new Set(deps.ownAddresses.map((a) => a.toLowerCase()));
  if (own.has(mail.from.email)) return { kind: 'ignored', reason: 'sent by autotier itself' };
  if (mail.automatic) return { kind: 'ignored', reason: 'an automatic reply (out of office or similar)' };
  const thread = await threadOf(mail, deps);
  // People the requester wrote to (To, Cc) may answer for the ticket; autotier itself may not.
  const others = (requester: string) =>
    (mail.recipients ?? []).filter((a) => !own.has(a) && a !== requester.toLowerCase());
  if (thread) {
    // "Thanks, fixed!" from someone who was never on the thread must not close another's ticket.
    if (!mayAnswer(thread, mail.from.email))
      return {
        kind: 'review',
        reason: `a reply to ${thread.ticketId} from ${mail.from.email}, who is neither its requester nor on its thread`,
      };
    const text = stripQuoted(mail.text, { keepInlineQuotes: true });
    const fromRequester = mail.from.email === thread.requester.email.toLowerCase();
    return {
      kind: 'reply',
      ticket: thread,
      from: mail.from.email,
      text: text || '(no text)',
      participants: fromRequester ? others(thread.requester.email) : [],
    };
  }
  const domain = domainOf(mail.from.email);
  const clients = await deps.clients.list();
  // Only listed domains: a mailbox anyone can write to must not turn anyone's mail into work.
  const client = clients.find((c) => c.emailDomains?.some((d) => d.toLowerCase() === domain));
  if (!client) return { kind: 'review', reason: `no client has the mail domain ${domain}` };
  const subject = singleLine(cleanSubject(mail.subject)).slice(0, 200) || '(no subject)';
  const name = singleLine(mail.from.name ?? '');
  // A forward keeps everything: the forwarded mail is the ticket. A new mail loses only quoted history.
  const text = isForward(mail.subject)
    ? mail.text.trim()
    : stripQuoted(mail.text, { keepInlineQuotes: true }) || mail.text.trim();
  return {
    kind: 'ticket',
    input: {
      clientId: client.clientId,
      requester: {
        ...(name ? { name: name.slice(0, 200) } : {}),
        email: mail.from.email,
      },
      subject,
      body: (text || subject).slice(0, MAX_TICKET_BODY_CHARS),
      externalId: `mail:${mail.messageId ? normalizeMessageId(mail.messageId) : fallbackId}`.slice(0, 500),
      channel: 'email',
      ...(others(mail.from.email).length ? { participants: others(mail.from.email) } : {}),
    },
  };
}

/** Keeps a mail's attachments (not inline pictures) with its ticket. */
export async function keepAttachments(
  mail: InboundMail,
  ticket: Ticket,
  deps: MailIntakeDeps,
  now: Date,
): Promise<void> {
  const files = mail.attachments.filter((a) => !a.inline);
  if (files.length === 0) return;
  const kept: NonNullable<Ticket['attachments']> = [];
  for (const a of files)
    kept.push({
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      blob: await deps.store.putAttachment(ticket.ticketId, a.filename, a.contentType, a.content),
    });
  await deps.tickets.update(
    ticket.ticketId,
    (t) => {
      const have = new Set((t.attachments ?? []).map((a) => a.blob));
      return { attachments: [...(t.attachments ?? []), ...kept.filter((a) => !have.has(a.blob))] };
    },
    now,
  );
}
