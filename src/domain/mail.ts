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

/**
 * Lines where quoted history starts in a reply: "On <date>, <name> wrote:" (and its French, German,
 * Spanish and Dutch forms, sometimes wrapped onto two lines), Outlook's "-----Original Message-----"
 * and "From: ... Sent: ..." header blocks, an underscore rule before such a block, and a run of
 * lines quoted with ">".
 */
const QUOTE_STARTS = [
  /^\s*-{2,}\s*(original message|message d'origine|ursprüngliche nachricht|mensaje original)\s*-{2,}/i,
  /^\s*(on|le|am|el|op)\s.{4,200}(wrote|a écrit|schrieb|escribió|schreef)\s*:\s*$/i,
  /^\s*am\s.{4,200}\sschrieb\s.{1,200}:\s*$/i,
];
const HEADER_BLOCK = /^\s*\*?(from|von|de|van)\s*:\*?\s+\S/i;
const HEADER_NEXT = /^\s*\*?(sent|date|gesendet|envoyé|enviado|verzonden|to|an|à|para|aan)\s*:/i;

/** A reply's new text, without the history it quotes and without the sender's signature. */
export function stripQuotedHistory(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const joined = `${line} ${lines[i + 1] ?? ''}`;
    if (QUOTE_STARTS.some((re) => re.test(line))) {
      cut = i;
      break;
    }
    if (/^\s*(on|le|am|el|op)\s/i.test(line) && QUOTE_STARTS[1]?.test(joined)) {
      cut = i;
      break;
    }
    if (HEADER_BLOCK.test(line) && lines.slice(i + 1, i + 4).some((l) => HEADER_NEXT.test(l))) {
      cut = i > 0 && /^\s*_{5,}\s*$/.test(lines[i - 1] ?? '') ? i - 1 : i;
      break;
    }
    if (/^\s*>/.test(line) && lines.slice(i).every((l) => /^\s*(>|$)/.test(l))) {
      cut = i;
      break;
    }
  }
  const kept = lines.slice(0, cut);
  const signature = kept.findIndex((l) => l === '-- ' || l === '--');
  return (signature >= 0 ? kept.slice(0, signature) : kept).join('\n').trim();
}
