import type { ClientProfile } from '../domain/client';
import type { KbArticle } from '../domain/kb';
import type { MailMessage } from '../domain/messages';
import type { PlaybookContract, PlaybookOutcome } from '../domain/playbook';
import type { Ticket } from '../domain/ticket';
import type { AuditLog, AuditRecord } from '../ports/auditLog';
import { type Directory, DirectoryError, type DirectoryUser } from '../ports/directory';

/** Everything a playbook may use. It acts only through these ports. */
export interface PlaybookContext {
  ticket: Ticket;
  client: ClientProfile;
  /** Unique per run of a playbook on this ticket: keys audit records and mails. */
  step: string;
  at: string;
  articles: KbArticle[];
  /** The client's directory; undefined when the client has no Graph connection. */
  directory?: Directory;
  audit: AuditLog;
  /** The identity that acts, for the audit log. */
  actor: string;
  /** A mail to someone other than the requester's ticket address, sent once per key. */
  sendMail(mail: MailMessage, key: string): Promise<void>;
}

export interface Playbook {
  contract: PlaybookContract;
  run(ctx: PlaybookContext): Promise<PlaybookOutcome>;
}

export const ticketText = (ticket: Ticket) => `${ticket.subject}\n${ticket.body}`;

export function escalate(reason: string, told: string, findings: string[] = []): PlaybookOutcome {
  return { kind: 'escalate', reason, told, findings, actions: [] };
}

const GRAPH_TROUBLE =
  "We couldn't finish this automatically just now, so one of our engineers will take it from here.";

/** Graph failures end the playbook with the reason; anything else is a bug and is thrown. */
export async function orEscalate(
  findings: string[],
  run: () => Promise<PlaybookOutcome>,
): Promise<PlaybookOutcome> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof DirectoryError)) throw err;
    return escalate(err.message, GRAPH_TROUBLE, findings);
  }
}

/** The requester's own account: exactly one enabled user whose address is the ticket's sender. */
export async function identify(
  directory: Directory,
  ticket: Ticket,
  findings: string[],
): Promise<{ user: DirectoryUser } | { outcome: PlaybookOutcome }> {
  const user = await directory.findUser(ticket.requester.email);
  if (!user)
    return {
      outcome: escalate(
        "the requester's address matches no single user in the client's directory, so their identity is not confirmed",
        "We couldn't match your email address to a work account, so one of our engineers will check who you are and help you.",
        findings,
      ),
    };
  findings.push(`Directory user ${user.userPrincipalName} (${user.id}) matches the requester's address.`);
  if (!user.accountEnabled)
    return {
      outcome: escalate(
        `the account ${user.userPrincipalName} is disabled in Entra ID, which may be deliberate (a leaver or a block)`,
        'Your account is switched off at the moment, so one of our engineers will check with your organisation.',
        [...findings, 'The account is disabled.'],
      ),
    };
  return { user };
}

/**
 * Runs one action on a user or licence and writes the audit record: `done`, or `failed` with what
 * Graph answered. The record is keyed by ticket and step, so a retried activity rewrites it.
 */
export async function audited<T>(
  ctx: PlaybookContext,
  step: string,
  entry: Pick<AuditRecord, 'action' | 'target' | 'detail' | 'reason'>,
  act: () => Promise<T>,
): Promise<T> {
  const record = (outcome: AuditRecord['outcome'], detail: string) =>
    ctx.audit.record({
      clientId: ctx.client.clientId,
      ticketId: ctx.ticket.ticketId,
      step,
      at: ctx.at,
      actor: ctx.actor,
      requestedBy: ctx.ticket.requester.email,
      ...entry,
      detail,
      outcome,
    });
  let result: T;
  try {
    result = await act();
  } catch (err) {
    if (err instanceof DirectoryError) await record('failed', `${entry.detail}; ${err.message}`);
    throw err;
  }
  await record('done', entry.detail);
  return result;
}
