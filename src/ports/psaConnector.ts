import type { EscalationPackage } from '../domain/escalation';
import type { PsaStatus } from '../domain/psa';

/** Where the MSP's engineers work: ConnectWise, Autotask, HaloPSA. Every call is keyed and idempotent. */
export interface PsaConnector {
  /** Internal note with the escalation package, and the move to the tier's board or queue. */
  escalate(pkg: EscalationPackage, key: string): Promise<void>;
  /** A note on the ticket: the requester's reply, a plan, a resolution. */
  addNote(ticketId: string, note: string, key: string): Promise<void>;
  setStatus(ticketId: string, status: PsaStatus, key: string): Promise<void>;
}
