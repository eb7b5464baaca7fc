import type { EscalationPackage } from '../../domain/escalation';
import { escalationNote, noteMarker, type PsaMapping, type PsaStatus, psaTicketIdOf } from '../../domain/psa';
import type { PsaApi } from '../../ports/psaApi';
import type { PsaConnector } from '../../ports/psaConnector';
import type { TicketStore } from '../../ports/ticketStore';

/**
 * Writes what autotier does back to the ticket in the PSA it came from: the escalation package as
 * an internal note and the move to the tier's board or queue, notes, and status changes. Every call
 * is also recorded (the event log), which is the audit trail and what the HTTP API shows.
 *
 * At least once, without duplicates: each note ends with a marker naming the ticket and the step,
 * and a retried call that finds its marker on the PSA ticket does not post again. Board, queue and
 * status changes set absolute values, so repeating them changes nothing. Tickets that did not come
 * from this PSA (mail, portal) are only recorded.
 */
export class PsaWriteBack implements PsaConnector {
  constructor(
    private readonly api: PsaApi,
    private readonly mapping: PsaMapping,
    private readonly tickets: TicketStore,
    private readonly record: PsaConnector,
  ) {}

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
    return ticket ? psaTicketIdOf(this.api.vendor, ticket) : undefined;
  }

  private async noteOnce(psaId: string, ticketId: string, key: string, text: string): Promise<void> {
    const marker = noteMarker(ticketId, key);
    if ((await this.api.noteTexts(psaId)).some((t) => t.includes(marker))) return;
    await this.api.addNote(psaId, `${text}\n\n${marker}`);
  }
}
