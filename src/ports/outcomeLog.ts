import type { Interruption, OutcomeEvent, SelfServiceDeflection, TicketOutcomes } from '../domain/metrics';

/**
 * What happened to each ticket, kept so that metrics read bounded ranges: every outcome event once
 * per (ticket, step), folded into the ticket's summary as it arrives; the alerts and pages that
 * reached a person, in time order; and the portal's self-service deflections, apart from tickets.
 */
export interface OutcomeLog {
  /**
   * Records events of one ticket, each once per (ticket, step), and folds them into the ticket's
   * summary atomically with their own rows (several at once cost one write). Returns the events
   * that were new (a retry's repeats left out), so what follows them happens once too.
   */
  record(...events: OutcomeEvent[]): Promise<OutcomeEvent[]>;
  /** Records an alert or page that reached a person, once per (ticket, notification key). */
  recordInterruption(interruption: Interruption): Promise<void>;
  /** Records a requester who found the answer on the portal before filing, once per key. */
  recordSelfServiceDeflection(deflection: SelfServiceDeflection): Promise<void>;
  /** The summaries of the client's tickets received in [from, to). */
  summaries(clientId: string, from: Date, to: Date): Promise<TicketOutcomes[]>;
  /** The client's interruptions in [from, to). */
  interruptions(clientId: string, from: Date, to: Date): Promise<Interruption[]>;
  /** How many self-service deflections the client's portal had in [from, to). */
  selfServiceDeflections(clientId: string, from: Date, to: Date): Promise<number>;
  /** One ticket's outcome events, in the order they happened. */
  events(clientId: string, ticketId: string): Promise<OutcomeEvent[]>;
}
