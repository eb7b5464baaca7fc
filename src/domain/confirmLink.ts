import { createHmac, timingSafeEqual } from 'node:crypto';

import { strictBase64 } from './webhookAuth';

/**
 * Signed, expiring "Did this resolve your issue?" links. The token binds the ticket, a nonce (one
 * per question asked) and the expiry; single use is enforced by recording the nonce when used.
 */
export interface ConfirmToken {
  ticketId: string;
  nonce: string;
  expiresAt: number;
}

const b64url = (buf: Buffer) => buf.toString('base64url');

export function signConfirmToken(token: ConfirmToken, key: string): string {
  const payload = b64url(Buffer.from(JSON.stringify([token.ticketId, token.nonce, token.expiresAt])));
  const sig = b64url(createHmac('sha256', key).update(payload).digest());
  return `${payload}.${sig}`;
}

export type VerifyResult =
  | { ok: true; token: ConfirmToken }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'wrong_ticket' };

export function verifyConfirmToken(text: string, ticketId: string, key: string, now: number): VerifyResult {
  const [payload, sig, extra] = text.split('.');
  if (!payload || !sig || extra !== undefined) return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', key).update(payload).digest();
  // Only the canonical encoding: Node's decoder would skip junk appended to the signature.
  const given = strictBase64(sig, 'base64url');
  if (!given || given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad_signature' };
  const bytes = strictBase64(payload, 'base64url');
  if (!bytes) return { ok: false, reason: 'malformed' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return { ok: false, reason: 'malformed' };
  const [id, nonce, expiresAt] = parsed as [unknown, unknown, unknown];
  if (typeof id !== 'string' || typeof nonce !== 'string' || typeof expiresAt !== 'number')
    return { ok: false, reason: 'malformed' };
  if (id !== ticketId) return { ok: false, reason: 'wrong_ticket' };
  if (now > expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, token: { ticketId: id, nonce, expiresAt } };
}

/** Rating links in the closing mail live longer than the question: people rate when they get to it. */
export const RATING_LINK_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Rating links are signed with a key of their own, derived from the link signing key, so that a
 * rating token can never answer "Did this resolve your issue?" and a confirmation token never rates.
 */
export function ratingSigningKey(linkSigningKey: string): string {
  return createHmac('sha256', linkSigningKey).update('autotier rating links v1').digest('base64url');
}
