import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import type { ClientProfile } from '../domain/client';
import { readBodyBytes } from '../http/httpHelpers';
import { htmlResponse, type Page } from '../ops/html';
import type { ClientStore } from '../ports/clientStore';
import { type Access, portalAccess } from './portalAccess';
import { messagePage } from './portalPages';

const CLIENT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const wantsJson = (req: HttpRequest) => (req.headers.get('accept') ?? '').includes('application/json');

/** A refusal: JSON `{error}` for a script or API client, a short page for a browser. */
export function portalError(
  req: HttpRequest,
  status: number,
  clientName: string,
  title: string,
  error: string,
  html = '',
): HttpResponseInit {
  if (wantsJson(req)) return { status, jsonBody: { error } };
  return htmlResponse(status, messagePage(clientName, title, error, html));
}

export function portalPage(
  status: number,
  page: Page,
  headers: Record<string, string> = {},
): HttpResponseInit {
  const res = htmlResponse(status, page);
  return { ...res, headers: { ...(res.headers as Record<string, string>), ...headers } };
}

export type Admitted =
  | { ok: true; client: ClientProfile; access: Extract<Access, { ok: true }>['requester'] }
  | { ok: false; response: HttpResponseInit };

/**
 * The client the route names, and who is asking: an unknown client is 404 (there is no portal to
 * show), and with Entra sign-in in front a request without the signed-in user is offered the
 * sign-in (401) unless the client lets anonymous requesters in.
 */
export async function admit(
  req: HttpRequest,
  clients: Pick<ClientStore, 'get'>,
  easyAuth: boolean,
): Promise<Admitted> {
  const clientId = req.params.clientId ?? '';
  const client = CLIENT_ID.test(clientId) ? await clients.get(clientId) : undefined;
  if (!client)
    return {
      ok: false,
      response: portalError(
        req,
        404,
        'IT support',
        'No such portal',
        'There is no support portal at this address.',
      ),
    };
  const access = portalAccess(req, client, easyAuth);
  if (!access.ok) {
    const back = new URL(req.url).pathname;
    return {
      ok: false,
      response: portalError(
        req,
        access.status,
        client.name,
        'Sign in first',
        access.reason,
        `<p><a href="/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(back)}">Sign in</a></p>`,
      ),
    };
  }
  return { ok: true, client, access: access.requester };
}

export type FormResult = { ok: true; form: FormData } | { ok: false; response: HttpResponseInit };

/**
 * A form post (`application/x-www-form-urlencoded` or `multipart/form-data`), its size checked
 * before it is parsed.
 */
export async function readForm(req: HttpRequest, limit: number, clientName: string): Promise<FormResult> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type))
    return {
      ok: false,
      response: portalError(
        req,
        415,
        clientName,
        'Not a form',
        'send the form as a browser does (a form post)',
      ),
    };
  const body = await readBodyBytes(req, limit);
  if (!body.ok)
    return {
      ok: false,
      response: portalError(req, 413, clientName, 'Too large', `the form is larger than ${limit} bytes`),
    };
  try {
    const form = await new Request('http://portal.invalid/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: body.bytes,
    }).formData();
    return { ok: true, form };
  } catch {
    return {
      ok: false,
      response: portalError(req, 400, clientName, 'Not a form', 'the form could not be read'),
    };
  }
}

/** A text field of a form; a file or a missing field is empty. */
export const field = (form: FormData, name: string): string => {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
};
