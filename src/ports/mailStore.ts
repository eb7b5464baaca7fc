/** Where inbound mail lives: the raw MIME as received, and attachments, by ticket. */
export interface MailStore {
  /** Keeps raw MIME under a name derived from its content; storing it twice keeps one copy. */
  putRaw(raw: Buffer): Promise<string>;
  getRaw(name: string): Promise<Buffer | undefined>;
  /** Keeps one attachment of a ticket; returns its blob name. Idempotent per (ticket, content, name). */
  putAttachment(ticketId: string, filename: string, contentType: string, content: Buffer): Promise<string>;
}

/** Which ticket each mail belongs to, by normalized Message-ID. */
export interface MailThreads {
  find(messageId: string): Promise<string | undefined>;
  remember(messageId: string, ticketId: string): Promise<void>;
}
