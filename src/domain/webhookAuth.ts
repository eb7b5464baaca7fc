import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook authenticity checks, one per source. All compare in constant time, accept any of the
 * connection's current secrets (so a secret can be rotated with overlap), and hash the raw bytes
 * exactly as received, never re-serialised JSON.
 */
export const REPLAY_WINDOW_SECONDS = 300;

function equal(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A shared secret echoed back to us (Graph's clientState): equal to one of the current ones, in constant time. */
export function matchesSecret(given: string, secrets: string[]): boolean {
  return secrets.some((s) => equal(Buffer.from(given), Buffer.from(s)));
}

/**
 * Base64 exactly as encoded: Node's decoder skips characters it does not know, so
 * `<signature>junk` would decode to the signature. Only the canonical encoding is accepted.
 */
export function strictBase64(text: string, alphabet: 'base64' | 'base64url' = 'base64'): Buffer | undefined {
  const bytes = Buffer.from(text, alphabet);
  return bytes.toString(alphabet) === text ? bytes : undefined;
}

const hmac = (algorithm: 'sha256' | 'sha1', key: string | Buffer, ...parts: (string | Buffer)[]) => {
  const h = createHmac(algorithm, key);
  for (const p of parts) h.update(p);
  return h.digest();
};

/** Our own generic webhook (the Zendesk/OWASP shape): base64(HMAC-SHA256(secret, timestamp + body)) within a replay window. */
export function verifyGeneric(
  raw: Buffer,
  timestamp: string | null,
  signature: string | null,
  secrets: string[],
  nowMs: number,
): boolean {
  if (!timestamp || !signature || secrets.length === 0) return false;
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowMs / 1000 - ts) > REPLAY_WINDOW_SECONDS) return false;
  const given = strictBase64(signature);
  return !!given && secrets.some((s) => equal(given, hmac('sha256', s, timestamp, raw)));
}

export function signGeneric(raw: Buffer | string, timestamp: string, secret: string): string {
  return hmac('sha256', secret, timestamp, raw).toString('base64');
}

/** Autotask: `X-Hook-Signature: sha1=<base64(HMAC-SHA1(SecretKey, body))>`. */
export function verifyAutotask(raw: Buffer, header: string | null, secrets: string[]): boolean {
  const m = /^sha1=(.+)$/.exec(header ?? '');
  if (!m?.[1]) return false;
  const given = strictBase64(m[1]);
  return !!given && secrets.some((s) => equal(given, hmac('sha1', s, raw)));
}

/** HaloPSA sends Basic auth; each connection has its own user:secret pair. */
export function verifyBasic(authorization: string | null, pairs: string[]): boolean {
  const m = /^Basic (.+)$/i.exec(authorization ?? '');
  if (!m?.[1]) return false;
  const given = strictBase64(m[1]);
  return !!given && pairs.some((p) => equal(given, Buffer.from(p, 'utf8')));
}

/**
 * ConnectWise callbacks name the URL of their signing key in the (not yet trusted) body, and the
 * key is fetched with the API credentials. So a key URL is used only when it is https on the
 * configured PSA site's own host, under its API path, and only as that path: the query and
 * fragment are dropped, so nobody can aim the credentials elsewhere or defeat the key cache with a
 * new query string. Returns the URL to fetch (and cache by), or undefined.
 */
export function connectWiseKeyUrl(url: string, apiBaseUrl: string): string | undefined {
  let u: URL;
  let base: URL;
  try {
    u = new URL(url);
    base = new URL(apiBaseUrl);
  } catch {
    return undefined;
  }
  const basePath = base.pathname.replace(/\/+$/, '');
  const ok =
    u.protocol === 'https:' &&
    base.protocol === 'https:' &&
    !u.username &&
    !u.password &&
    (u.port === '' || u.port === '443') &&
    u.hostname.toLowerCase() === base.hostname.toLowerCase() &&
    u.pathname.startsWith(`${basePath}/`) &&
    !/\/\.\.?(\/|$)|%2e|%2f|\\/i.test(u.pathname);
  return ok ? `${u.origin}${u.pathname}` : undefined;
}

/** ConnectWise: key = SHA256(signing_key); signature = base64(HMAC-SHA256(key, body)) in x-content-signature. */
export function verifyConnectWise(raw: Buffer, signature: string | null, signingKey: string): boolean {
  if (!signature) return false;
  const key = createHash('sha256').update(signingKey).digest();
  const given = strictBase64(signature);
  return !!given && equal(given, hmac('sha256', key, raw));
}
