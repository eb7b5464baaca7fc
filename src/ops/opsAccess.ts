import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { htmlResponse } from './html';
import { opsErrorPage } from './opsPages';

/**
 * Who may open the ops pages. In Azure they need the host's master key (`authLevel: 'admin'`),
 * unless App Service authentication is on (the platform sets WEBSITE_AUTH_ENABLED): then the MSP's
 * Entra sign-in guards them, and the handler refuses any request that arrives without the signed-in
 * principal the platform adds (it strips that header from what callers send). Locally, like
 * `func start`, the runtime does not check keys: the pages are open.
 */
export const signInGuards = (env: NodeJS.ProcessEnv = process.env): boolean =>
  (env.WEBSITE_AUTH_ENABLED ?? '').toLowerCase() === 'true';

export const opsAuthLevel = (env: NodeJS.ProcessEnv = process.env): 'admin' | 'anonymous' =>
  signInGuards(env) ? 'anonymous' : 'admin';

const wantsHtml = (req: HttpRequest) => (req.headers.get('accept') ?? '').includes('text/html');

/** A refusal: a page for a browser, JSON `{error}` for anything else. */
export function refuse(
  req: HttpRequest,
  status: number,
  title: string,
  error: string,
  now: Date,
  link?: { href: string; text: string },
): HttpResponseInit {
  if (!wantsHtml(req)) return { status, jsonBody: { error } };
  const back = new URL(req.url).pathname.includes('/ops/tickets/') ? '../../ops' : 'ops';
  return htmlResponse(
    status,
    opsErrorPage(title, error, link ?? { href: back, text: 'Back to the ticket list' }, now),
  );
}

/**
 * With sign-in guarding the pages, a request without a signed-in principal goes no further; a
 * browser is offered App Service's Entra sign-in, which brings it back to the page it asked for.
 */
export function requireSignIn(req: HttpRequest, signIn: boolean, now: Date): HttpResponseInit | undefined {
  if (!signIn || req.headers.get('x-ms-client-principal-name')) return undefined;
  const back = new URL(req.url).pathname;
  return refuse(req, 401, 'Sign in first', 'the ops pages need the MSP sign-in', now, {
    href: `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(back)}`,
    text: 'Sign in with your MSP account',
  });
}
