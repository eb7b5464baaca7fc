import type { KbArticle } from '../domain/kb';

export interface KnowledgeBase {
  put(article: KbArticle): Promise<void>;
  /** The client's own articles and the general ones. */
  forClient(clientId: string): Promise<KbArticle[]>;
  all(): Promise<KbArticle[]>;
  /** Counts one use of an article and whether it fixed the problem; once per key. */
  recordOutcome(clientId: string, articleId: string, fixed: boolean, key: string): Promise<void>;
}

/** The pictures of knowledge-base articles (Blob storage). */
export interface KbImages {
  /** The picture, or undefined when it is missing. */
  read(name: string): Promise<{ content: Buffer; contentType: string } | undefined>;
}
