import type { EscalationPackage } from '../domain/escalation';
import type { PsaStatus } from '../domain/psa';
import type { PsaTicketRef } from './psaApi';

export interface PsaOpened {
  ref: PsaTicketRef;
  /** false when the ticket came from the PSA or its PSA ticket was opened before. */
  created: boolean;
}

/** Where the MSP's engineers work: ConnectWise, Autotask, HaloPSA. Every call is keyed and idempotent. */
export interface PsaConnector {
  /**
   * The ticket's PSA ticket, opened now (the client's company, the requester's contact) if it
   * came by mail, the portal or the API and has none yet. Absent where no PSA is connected.
   */
  open?(ticketId: string): Promise<PsaOpened | undefined>;
  /** Internal note with the escalation package, and the move to the tier's board or queue. */
  escalate(pkg: EscalationPackage, key: string): Promise<void>;
  /** A note on the ticket: the requester's reply, a plan, a resolution. */
  addNote(ticketId: string, note: string, key: string): Promise<void>;
  setStatus(ticketId: string, status: PsaStatus, key: string): Promise<void>;
}
