import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { htmlResponse } from './html';
import { opsErrorPage } from './opsPages';

/**
 * Who may open the ops pages. In Azure they need the host's master key (`authLevel: 'admin'`),
 * unless App Service authentication is on (the platform sets WEBSITE_AUTH_ENABLED, read into
 * `config.appServiceAuth`): then the MSP's Entra sign-in guards them, and the handler refuses any
 * request that arrives without the signed-in principal the platform adds (it strips that header
 * from what callers send). Locally, like `func start`, the runtime does not check keys: the pages
 * are open.
 */
export const opsAuthLevel = (appServiceAuth: boolean): 'admin' | 'anonymous' =>
  appServiceAuth ? 'anonymous' : 'admin';

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

/** The app role an MSP engineer needs on the app registration to open the ops pages. */
export const OPS_ROLE = 'Ops.Read';

/**
 * The roles in App Service's `x-ms-client-principal` (base64 JSON `{claims: [{typ, val}]}`), which
 * the platform sets and strips from callers' requests when authentication is on.
 */
export function principalRoles(header: string | null): string[] {
  if (!header) return [];
  try {
    const principal = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as {
      claims?: { typ?: unknown; val?: unknown }[];
    };
    return (principal.claims ?? [])
      .filter(
        (c) => c.typ === 'roles' || c.typ === 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
      )
      .map((c) => String(c.val));
  } catch {
    return [];
  }
}

/**
 * With sign-in guarding the pages, a request goes no further without a signed-in principal that
 * holds the `Ops.Read` app role: signing in alone is not enough, because the same sign-in may serve
 * a client's requesters (the portal). A browser without a session is offered App Service's Entra
 * sign-in, which brings it back to the page it asked for; a signed-in user without the role gets 403.
 */
export function requireSignIn(req: HttpRequest, signIn: boolean, now: Date): HttpResponseInit | undefined {
  if (!signIn) return undefined;
  if (req.headers.get('x-ms-client-principal-name')) {
    if (principalRoles(req.headers.get('x-ms-client-principal')).includes(OPS_ROLE)) return undefined;
    return refuse(
      req,
      403,
      'Not for this account',
      `the ops pages need the ${OPS_ROLE} app role; ask your administrator to assign it`,
      now,
    );
  }
  const back = new URL(req.url).pathname;
  return refuse(req, 401, 'Sign in first', 'the ops pages need the MSP sign-in', now, {
    href: `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(back)}`,
    text: 'Sign in with your MSP account',
  });
}
