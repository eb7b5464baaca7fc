import { randomUUID } from 'node:crypto';

import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { withServices } from '../../composition';
import { signFormToken } from '../../domain/portal';
import { admit, portalPage } from '../../portal/portalHttp';
import { formPage } from '../../portal/portalPages';
import type { ClientStore } from '../../ports/clientStore';

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

app.http('portalForm', {
  route: 'portal/{clientId}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withServices((s) =>
    portalFormHandler({
      clients: s.clients,
      linkSigningKey: s.linkSigningKey,
      easyAuth: s.config.easyAuth,
      now: s.now,
    }),
  ),
});
