import { ClientSecretCredential, type TokenCredential } from '@azure/identity';

import { GRAPH_SCOPE } from '../adapters/graph/graphDirectory';
import { GraphMail } from '../adapters/graph/graphMail';
import { RestClient } from '../adapters/http/restClient';
import type { AppConfig } from '../config';
import type { GraphMailbox, SubscriptionStore } from '../ports/graphMail';
import { managedIdentity } from './credentials';
import type { Storage } from './storage';

/** Microsoft Graph with the app's identity in the client's tenant (or none, for a local emulator). */
export function graphRestClient(config: AppConfig): RestClient {
  let credential: TokenCredential | undefined;
  if (config.graphAuth === 'client-secret') {
    const { tenantId, clientId, clientSecret } = config.graphApp;
    if (!tenantId || !clientId || !clientSecret)
      throw new Error(
        'AUTOTIER_GRAPH_TENANT_ID, AUTOTIER_GRAPH_CLIENT_ID and AUTOTIER_GRAPH_CLIENT_SECRET must be set for Graph auth client-secret',
      );
    credential = new ClientSecretCredential(tenantId, clientId, clientSecret);
  } else if (config.graphAuth === 'managed-identity') {
    credential = managedIdentity(config);
  }
  return new RestClient({
    vendor: 'graph',
    baseUrl: config.graphBaseUrl,
    headers: async (): Promise<Record<string, string>> => {
      if (!credential) return {};
      const token = await credential.getToken(GRAPH_SCOPE);
      if (!token) throw new Error('no Graph token');
      return { authorization: `Bearer ${token.token}` };
    },
  });
}

/** Graph mail intake, when a support mailbox and a client state are configured. */
export async function graphFromConfig(
  config: AppConfig,
  storage: Storage,
): Promise<{ graphMail?: GraphMailbox; graphSubscriptions?: SubscriptionStore }> {
  if (!config.supportMailbox || config.graphClientStates.length === 0) return {};
  const http = graphRestClient(config);
  const store = storage.graphSubscriptions();
  await store.ensureTable();
  return { graphMail: new GraphMail(http, config.supportMailbox), graphSubscriptions: store };
}
