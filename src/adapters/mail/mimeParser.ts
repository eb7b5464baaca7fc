import { convert } from 'html-to-text';
import type { AddressObject } from 'mailparser';
import sanitizeHtml from 'sanitize-html';

import { type InboundMail, MAX_MAIL_BYTES } from '../../domain/mail';

export { MAX_MAIL_BYTES };

/**
 * HTML that is safe to keep and show: formatting and links only. Scripts, styles, forms, frames
 * and every image go (remote images are how tracking pixels report an open); links may only be
 * http(s) or mailto.
 */
export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'img'),
    allowedAttributes: { a: ['href', 'title'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    disallowedTagsMode: 'discard',
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head'],
  });
}

function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
  });
}

function firstAddress(
  a: AddressObject | AddressObject[] | undefined,
): { name?: string; email: string } | undefined {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  for (const group of list) {
    for (const v of group.value) {
      if (v.address) return { ...(v.name ? { name: v.name } : {}), email: v.address.toLowerCase() };
    }
  }
  return undefined;
}

/** Every address in To or Cc, lower case, at most 50 (a mail to a whole company stays bounded). */
function allAddresses(...fields: (AddressObject | AddressObject[] | undefined)[]): string[] {
  const out = new Set<string>();
  for (const a of fields)
    for (const group of Array.isArray(a) ? a : a ? [a] : [])
      for (const v of group.value) if (v.address && out.size < 50) out.add(v.address.toLowerCase());
  return [...out];
}

/**
 * Parses raw MIME (RFC 5322) with mailparser: charsets through iconv, encoded words, multipart
 * alternatives, attachments. Throws when there is no sender address.
 */
export async function parseMime(raw: Buffer): Promise<InboundMail> {
  // Loaded on the first mail: only the mail intake parses MIME.
  const { simpleParser } = await import('mailparser');
  const m = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const from = firstAddress(m.from);
  if (!from) throw new Error('the mail has no From address');
  const html = typeof m.html === 'string' ? sanitizeMailHtml(m.html) : undefined;
  // Prefer the sender's own text part. Without one, mailparser renders the raw HTML (pixel URLs and
  // all), so render the sanitized HTML instead.
  const head = raw.subarray(0, 64 * 1024).toString('latin1');
  const hasPlainPart = /^content-type:\s*text\/plain/im.test(head) || !/^content-type:/im.test(head);
  const plain = hasPlainPart ? m.text?.trim() : undefined;
  const text = plain || (html ? htmlToText(html).trim() : '');
  const header = (name: string) => {
    const v = m.headers.get(name);
    return typeof v === 'string' ? v.toLowerCase() : '';
  };
  const autoSubmitted = header('auto-submitted');
  const references = Array.isArray(m.references)
    ? m.references
    : m.references
      ? m.references.split(/\s+/)
      : [];
  return {
    ...(m.messageId ? { messageId: m.messageId } : {}),
    ...(m.inReplyTo ? { inReplyTo: m.inReplyTo.split(/\s+/)[0] } : {}),
    references: references.filter(Boolean),
    from,
    recipients: allAddresses(m.to, m.cc),
    subject: m.subject ?? '',
    text,
    ...(html ? { html } : {}),
    attachments: m.attachments.map((a) => ({
      filename: (a.filename ?? 'attachment').replace(/[\\/\0]/g, '_').slice(0, 200),
      contentType: a.contentType,
      size: a.size,
      content: a.content,
      inline: a.contentDisposition === 'inline' || !!a.related,
    })),
    automatic:
      (autoSubmitted !== '' && autoSubmitted !== 'no') ||
      /^(bulk|junk|list|auto_reply)$/.test(header('precedence')) ||
      m.headers.has('x-autoreply') ||
      m.headers.has('x-autorespond'),
  };
}
