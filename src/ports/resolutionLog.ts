import type { Category } from '../domain/categories';

export type Outcome =
  'resolved_confirmed' | 'resolved_unconfirmed' | 'resolved_by_engineer' | 'escalated' | 'reopened';

export interface ResolutionRecord {
  ticketId: string;
  clientId: string;
  category: Category;
  outcome: Outcome;
  subject: string;
  summary: string;
  articleId?: string;
  at: string;
}

export const SOLVED: ReadonlySet<Outcome> = new Set([
  'resolved_confirmed',
  'resolved_unconfirmed',
  'resolved_by_engineer',
]);

/** What happened to each ticket: feeds similar-ticket search, the knowledge base and metrics. */
export interface ResolutionLog {
  record(entry: ResolutionRecord): Promise<void>;
  /** Every record of a client: reports and the CLI, never the ticket path. */
  forClient(clientId: string): Promise<ResolutionRecord[]>;
  /** The client's most recently solved tickets, newest first, at most `limit`: one bounded read. */
  recentSolved(clientId: string, limit: number): Promise<ResolutionRecord[]>;
}
