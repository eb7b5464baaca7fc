import type { Category } from '../domain/categories';
import type { Outcome } from '../domain/resolution';

export type { Outcome };

export interface ResolutionRecord {
  ticketId: string;
  clientId: string;
  category: Category;
  outcome: Outcome;
  subject: string;
  summary: string;
  articleId?: string;
  at: string;
  /** The requester came back after this solution: it is not how to solve such a ticket. */
  reopened?: boolean;
}

/** What happened to each ticket: feeds similar-ticket search, the knowledge base and metrics. */
export interface ResolutionLog {
  record(entry: ResolutionRecord): Promise<void>;
  /** Every record of a client: reports and the CLI, never the ticket path. */
  forClient(clientId: string): Promise<ResolutionRecord[]>;
  /**
   * The client's most recently solved tickets, newest first, at most `limit`: one bounded read.
   * Reopened ones are among them, flagged `reopened`.
   */
  recentSolved(clientId: string, limit: number): Promise<ResolutionRecord[]>;
  /**
   * Flags the ticket's solved records from `at` or before as reopened, so their summary is never
   * offered as how to solve a ticket; a solution recorded after `at` stays. Idempotent.
   */
  markReopened(ticketId: string, clientId: string, at: string): Promise<void>;
}
