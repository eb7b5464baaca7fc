import type { PsaMapping, PsaTicket, PsaVendor } from '../domain/psa';
import type { PsaNewTicket, PsaTicketState } from '../domain/psaRoundTrip';

export interface PsaTicketRef {
  id: string;
  /** The number people quote (Autotask's T20261122.0001); the id elsewhere. */
  number: string;
}

/** The few PSA calls autotier makes, whichever PSA it is. Ids are the PSA's own. */
export interface PsaApi {
  readonly vendor: PsaVendor;
  /** The full ticket, with its company and contact; undefined when the PSA has no such ticket. */
  getTicket(id: string): Promise<PsaTicket | undefined>;
  /** The text of the ticket's notes, to see whether a write-back already happened. */
  noteTexts(id: string): Promise<string[]>;
  /** An internal note, never shown to the requester. */
  addNote(id: string, text: string): Promise<void>;
  /** Moves the ticket to a board, queue or team, and/or sets its status (both are PSA ids). */
  update(id: string, change: { status?: string; queue?: string }): Promise<void>;
  /** The ticket of this company whose summary carries `reference` (what autotier opened before). */
  findByReference(reference: string, companyId: string): Promise<PsaTicketRef | undefined>;
  /** Opens a ticket for the company, with the requester's contact when the PSA knows the address. */
  createTicket(ticket: PsaNewTicket): Promise<PsaTicketRef>;
  /** The ticket's status, with its notes and time entries; undefined when there is no such ticket. */
  ticketState(id: string): Promise<PsaTicketState | undefined>;
}

/** The PSA this deployment works with: its API, how its companies and boards map, its webhook secrets. */
export interface PsaConnection {
  vendor: PsaVendor;
  api: PsaApi;
  mapping: PsaMapping;
  webhookSecrets: string[];
  /** ConnectWise only: the signing keys its callbacks name, and the API root they must live under. */
  signingKeys?: { get(url: string): Promise<string> };
  apiBaseUrl?: string;
}
