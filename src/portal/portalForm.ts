import { randomUUID } from 'node:crypto';

import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { signFormToken } from '../domain/portal';
import type { ClientStore } from '../ports/clientStore';
import { admit, portalPage } from './portalHttp';
import { formPage } from './portalPages';

export interface PortalFormDeps {
  clients: Pick<ClientStore, 'get'>;
  linkSigningKey: string;
  easyAuth: boolean;
  now: () => Date;
}

/** The requester portal's form, in the client's name; each visit gets a form token of its own. */
export function portalFormHandler(deps: PortalFormDeps) {
  return async function portalForm(req: HttpRequest): Promise<HttpResponseInit> {
    const admitted = await admit(req, deps.clients, deps.easyAuth);
    if (!admitted.ok) return admitted.response;
    const { client, access } = admitted;
    return portalPage(
      200,
      formPage({
        clientId: client.clientId,
        clientName: client.name,
        formToken: signFormToken(client.clientId, randomUUID(), deps.now().getTime(), deps.linkSigningKey),
        ...(access.kind === 'signed-in' ? { signedIn: access } : {}),
      }),
    );
  };
}
