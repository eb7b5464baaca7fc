/** Largest mail accepted, attachments included. */
export const MAX_MAIL_BYTES = 25 * 1024 * 1024;

/** One inbound mail, parsed and cleaned: no scripts, no remote images, text ready for a ticket. */
export interface InboundMail {
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  from: { name?: string; email: string };
  /** To and Cc, lower case: on a requester's mail, the people who may answer for the ticket. */
  recipients?: string[];
  subject: string;
  /** Plain text of the mail: the text part, or the sanitized HTML rendered as text. */
  text: string;
  /** The HTML part after sanitizing, if there was one. */
  html?: string;
  attachments: MailAttachment[];
  /** Out-of-office and other automatic replies (RFC 3834 Auto-Submitted, Precedence bulk/auto_reply). */
  automatic: boolean;
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  size: number;
  content: Buffer;
  inline: boolean;
}

/** Message-IDs compare without angle brackets, spaces or case. */
export function normalizeMessageId(id: string): string {
  return id.trim().replace(/^<|>$/g, '').trim().toLowerCase();
}

const TOKEN = /\[#(T-\d{1,12})\]/;

/** The ticket a subject names with its `[#T-1234]` token. */
export function ticketIdFromSubject(subject: string): string | undefined {
  return TOKEN.exec(subject)?.[1];
}

/** The subject a ticket gets: no Re:/Fwd: prefixes, no ticket token. */
export function cleanSubject(subject: string): string {
  let s = subject.replace(TOKEN, ' ');
  for (let previous = ''; previous !== s;) {
    previous = s;
    s = s.replace(/^\s*(re|fw|fwd|aw|wg|tr|sv|vs|antw)\s*(\[\d+\])?\s*:\s*/i, '');
  }
  return s.replace(/\s+/g, ' ').trim();
}

export function isForward(subject: string): boolean {
  return /^\s*(fw|fwd|wg|tr)\s*:/i.test(subject);
}
