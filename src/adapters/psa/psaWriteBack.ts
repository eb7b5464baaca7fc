import type { EscalationPackage } from '../../domain/escalation';
import {
  escalationNote,
  noteMarker,
  psaExternalId,
  type PsaMapping,
  type PsaStatus,
  psaTicketIdOf,
} from '../../domain/psa';
import { companyForClient, PSA_LABEL, psaReference, psaSummary } from '../../domain/psaRoundTrip';
import type { Ticket } from '../../domain/ticket';
import type { PsaApi, PsaTicketRef } from '../../ports/psaApi';
import type { PsaConnector, PsaOpened } from '../../ports/psaConnector';
import type { TicketStore } from '../../ports/ticketStore';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Writes what autotier does back to the ticket's PSA ticket: the escalation package as an internal
 * note and the move to the tier's board or queue, notes, and status changes. Every call is also
 * recorded (the event log), which is the audit trail and what the HTTP API shows.
 *
 * Tickets that came by mail, the portal or the API get a PSA ticket of their own first (`open`:
 * the client's company, the requester's contact), once: the PSA id is kept on the ticket, and a
 * retry that finds none looks in the PSA for the reference tag in the summary before it opens
 * another. Every write-back opens it if that has not happened yet (the PSA was down at intake).
 *
 * At least once, without duplicates: each note ends with a marker naming the ticket and the step,
 * and a retried call that finds its marker on the PSA ticket does not post again. Board, queue and
 * status changes set absolute values, so repeating them changes nothing.
 */
export class PsaWriteBack implements PsaConnector {
  constructor(
    private readonly api: PsaApi,
    private readonly mapping: PsaMapping,
    private readonly tickets: TicketStore,
    private readonly record: PsaConnector,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async open(ticketId: string): Promise<PsaOpened | undefined> {
    const ticket = await this.tickets.get(ticketId);
    return ticket ? this.openFor(ticket) : undefined;
  }

  async escalate(pkg: EscalationPackage, key: string): Promise<void> {
    const psaId = await this.psaId(pkg.ticketId);
    if (psaId) {
      await this.noteOnce(psaId, pkg.ticketId, key, escalationNote(pkg));
      const queue = this.mapping.tiers[String(pkg.tier) as '1' | '2' | '3'];
      await this.api.update(psaId, { queue, status: this.mapping.statuses.in_progress });
    }
    await this.record.escalate(pkg, key);
  }

  async addNote(ticketId: string, note: string, key: string): Promise<void> {
    const psaId = await this.psaId(ticketId);
    if (psaId) await this.noteOnce(psaId, ticketId, key, note);
    await this.record.addNote(ticketId, note, key);
  }

  async setStatus(ticketId: string, status: PsaStatus, key: string): Promise<void> {
    const psaId = await this.psaId(ticketId);
    const mapped = this.mapping.statuses[status];
    if (psaId && mapped) await this.api.update(psaId, { status: mapped });
    await this.record.setStatus(ticketId, status, key);
  }

  private async psaId(ticketId: string): Promise<string | undefined> {
    const ticket = await this.tickets.get(ticketId);
    if (!ticket) return undefined;
    return psaTicketIdOf(this.api.vendor, ticket) ?? (await this.openFor(ticket))?.ref.id;
  }

  /** The ticket's PSA ticket: the one it came from, the one opened before, or a new one. */
  private async openFor(ticket: Ticket): Promise<PsaOpened | undefined> {
    const vendor = this.api.vendor;
    const known = psaTicketIdOf(vendor, ticket);
    if (known)
      return {
        ref: { id: known, number: ticket.psaTicket?.number ?? ticket.externalNumber ?? known },
        created: false,
      };
    const companyId = companyForClient(vendor, this.mapping, ticket.clientId);
    // A client whose company is not mapped has no PSA ticket: its write-backs are only recorded.
    if (!companyId) return undefined;
    const reference = psaReference(ticket.ticketId);
    let ref: PsaTicketRef | undefined = await this.api.findByReference(reference, companyId);
    const created = !ref;
    ref ??= await this.api.createTicket({
      reference,
      summary: psaSummary(vendor, ticket.subject, ticket.ticketId),
      description: [
        ticket.body,
        '',
        `Requester: ${ticket.requester.name ? `${ticket.requester.name} <${ticket.requester.email}>` : ticket.requester.email}.`,
        `Filed by ${ticket.channel === 'email' ? 'mail' : ticket.channel} with autotier as ${ticket.ticketId}; autotier keeps this ticket up to date.`,
      ].join('\n'),
      companyId,
      contact: ticket.requester,
      ...(this.mapping.tiers['1'] ? { queue: this.mapping.tiers['1'] } : {}),
      ...(this.mapping.statuses.new ? { status: this.mapping.statuses.new } : {}),
      dueAt: ticket.sla?.resolutionDue ?? new Date(Date.parse(ticket.createdAt) + DAY).toISOString(),
    });
    const found = ref;
    // Etag-guarded: if two attempts raced, the first PSA ticket recorded stays the ticket's.
    const updated = await this.tickets.update(
      ticket.ticketId,
      (t) => (t.psaTicket ? {} : { psaTicket: { vendor, id: found.id, number: found.number } }),
      this.now(),
    );
    const kept = updated.psaTicket ?? { vendor, ...found };
    // The PSA's own events on it find this ticket, and its "new ticket" webhook makes no second one.
    await this.tickets.linkExternal(ticket, psaExternalId(vendor, kept.id));
    if (created)
      await this.tickets.appendTimeline(ticket, {
        step: 'psa-opened',
        at: this.now().toISOString(),
        note: `Opened ${PSA_LABEL[vendor]} ticket ${kept.number} for this ticket`,
      });
    return { ref: { id: kept.id, number: kept.number }, created };
  }

  private async noteOnce(psaId: string, ticketId: string, key: string, text: string): Promise<void> {
    const marker = noteMarker(ticketId, key);
    if ((await this.api.noteTexts(psaId)).some((t) => t.includes(marker))) return;
    await this.api.addNote(psaId, `${text}\n\n${marker}`);
  }
}
