/** What became of a ticket, as the resolution log records it. */
export type Outcome =
  'resolved_confirmed' | 'resolved_unconfirmed' | 'resolved_by_engineer' | 'escalated' | 'reopened';

/** The outcomes that solved the ticket: what similar-ticket search and the knowledge base learn from. */
export const SOLVED: ReadonlySet<Outcome> = new Set([
  'resolved_confirmed',
  'resolved_unconfirmed',
  'resolved_by_engineer',
]);
