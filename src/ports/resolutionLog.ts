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

/** What happened to each ticket: feeds similar-ticket search, the knowledge base and metrics. */
export interface ResolutionLog {
  record(entry: ResolutionRecord): Promise<void>;
  forClient(clientId: string): Promise<ResolutionRecord[]>;
}
