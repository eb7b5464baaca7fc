import { createHash } from 'node:crypto';

import type { HttpRequest } from '@azure/functions';

import type { ClientProfile } from '../domain/client';
import type { TokenStore } from '../ports/tokenStore';

/** Who is filing: the signed-in user (trusted), or someone who typed an address (not verified). */
export type Requester = { kind: 'signed-in'; email: string; name?: string } | { kind: 'anonymous' };

export type Access = { ok: true; requester: Requester } | { ok: false; status: 401 | 403; reason: string };

const EMAIL_CLAIMS = [
  'preferred_username',
  'email',
  'emails',
  'upn',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
];
const NAME_CLAIMS = ['name', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'];

/**
 * The user App Service authentication signed in, from its `x-ms-client-principal` (base64 JSON
 * `{claims: [{typ, val}]}`; the platform sets it and strips any a caller sends). Only trusted when
 * AUTOTIER_EASY_AUTH says the platform is in front.
 */
export function signedInUser(header: string | null): { email: string; name?: string } | undefined {
  if (!header) return undefined;
  try {
    const principal = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as {
      claims?: { typ?: unknown; val?: unknown }[];
    };
    const claim = (names: string[]) =>
      names
        .map((n) => principal.claims?.find((c) => c.typ === n)?.val)
        .find((v): v is string => typeof v === 'string' && v.length > 0);
    const email = claim(EMAIL_CLAIMS);
    if (!email?.includes('@')) return undefined;
    const name = claim(NAME_CLAIMS);
    return { email: email.trim().toLowerCase(), ...(name ? { name: name.slice(0, 200) } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * Who may use a client's portal. Without the platform's sign-in (locally, or where it is off) the
 * email field stands in and everyone is anonymous. With it, the signed-in user is required, unless
 * the client's profile lets anonymous requesters file.
 */
export function portalAccess(req: HttpRequest, client: ClientProfile, easyAuth: boolean): Access {
  if (!easyAuth) return { ok: true, requester: { kind: 'anonymous' } };
  const user = signedInUser(req.headers.get('x-ms-client-principal'));
  if (user) return { ok: true, requester: { kind: 'signed-in', ...user } };
  if (client.portal?.anonymous) return { ok: true, requester: { kind: 'anonymous' } };
  return { ok: false, status: 401, reason: `sign in with your ${client.name} account to use this page` };
}

/**
 * Anonymous submissions an hour, per address typed and per caller IP; and "this solved it" clicks
 * an hour per caller IP (each counts a self-service deflection in the metrics, so an unlimited
 * stream of fresh visits could inflate them).
 */
export const RATE_LIMITS = { perAddressPerHour: 5, perIpPerHour: 20, solvedPerIpPerHour: 30 } as const;
const HOUR = 60 * 60 * 1000;

/**
 * One slot of a fixed hourly window, claimed in the token store (each slot a nonce used at most
 * once), so concurrent submissions never share a slot and the slots expire with the window. Keys
 * are hashed: no address or IP is kept.
 */
export async function takeSlot(tokens: TokenStore, key: string, limit: number, now: Date): Promise<boolean> {
  const window = Math.floor(now.getTime() / HOUR);
  const id = createHash('sha256').update(key).digest('base64url').slice(0, 32);
  const expires = new Date((window + 2) * HOUR);
  for (let slot = 0; slot < limit; slot++)
    if (await tokens.use(`portal-rate.${id}.${window}.${slot}`, expires)) return true;
  return false;
}

/** The caller's address as the platform's front end saw it (first of X-Forwarded-For), without a port. */
export function callerIp(req: HttpRequest): string {
  const first = (req.headers.get('x-forwarded-for') ?? '').split(',')[0]?.trim() ?? '';
  const ipv4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?$/.exec(first);
  const ipv6 = /^\[([0-9a-fA-F:.]+)\](?::\d+)?$/.exec(first);
  return (ipv4?.[1] ?? ipv6?.[1] ?? first.slice(0, 64)) || 'unknown';
}

/** Both limits for an anonymous submission: false when either is used up. */
export async function withinRateLimits(
  tokens: TokenStore,
  email: string,
  ip: string,
  now: Date,
): Promise<boolean> {
  if (!(await takeSlot(tokens, `ip:${ip}`, RATE_LIMITS.perIpPerHour, now))) return false;
  return takeSlot(tokens, `address:${email.toLowerCase()}`, RATE_LIMITS.perAddressPerHour, now);
}

/** The "this solved it" limit for an anonymous caller: false when this hour's slots are used up. */
export function withinSolvedLimit(tokens: TokenStore, ip: string, now: Date): Promise<boolean> {
  return takeSlot(tokens, `solved-ip:${ip}`, RATE_LIMITS.solvedPerIpPerHour, now);
}
