import {
  ClientAssertionCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';

import { type NamedSettings, namedSettings } from '../../config';
import type { DirectoryConnection } from '../../domain/client';
import { type Directory, DirectoryError, type DirectoryFor } from '../../ports/directory';
import { GraphDirectory } from './graphDirectory';

const TOKEN_EXCHANGE_SCOPE = 'api://AzureADTokenExchange/.default';

const misconfigured = (message: string) =>
  new DirectoryError('rejected', `the client's directory connection is incomplete: ${message}`);

/**
 * The credential a client's connection names. `workload-identity` is the one to use in Azure: the
 * function app's managed identity proves itself to the app registration in the client's tenant
 * (a federated credential on that app), so no secret exists. A user-assigned identity is picked by
 * AZURE_CLIENT_ID, as elsewhere in the app.
 */
export function credentialFor(
  connection: DirectoryConnection,
  env: NamedSettings = namedSettings(),
): TokenCredential | undefined {
  const managedIdentity = () =>
    new ManagedIdentityCredential(env.AZURE_CLIENT_ID ? { clientId: env.AZURE_CLIENT_ID } : {});
  switch (connection.credential) {
    case 'none':
      return undefined;
    case 'managed-identity':
      return managedIdentity();
    case 'client-secret': {
      if (!connection.appId) throw misconfigured('appId is missing');
      const setting = connection.secretSetting ?? 'AUTOTIER_DIRECTORY_CLIENT_SECRET';
      const secret = env[setting];
      if (!secret) throw misconfigured(`the app setting ${setting} is empty`);
      return new ClientSecretCredential(connection.tenantId, connection.appId, secret);
    }
    case 'workload-identity': {
      if (!connection.appId) throw misconfigured('appId is missing');
      const identity = managedIdentity();
      return new ClientAssertionCredential(connection.tenantId, connection.appId, async () => {
        const token = await identity.getToken(TOKEN_EXCHANGE_SCOPE);
        if (!token) throw new Error('the managed identity returned no token for the token exchange');
        return token.token;
      });
    }
  }
}

/**
 * Each client's directory, built from its profile's connection and kept while the connection is
 * unchanged (credentials cache their tokens, so they should live across invocations).
 */
export function directoriesFromConnections(env: NamedSettings = namedSettings()): DirectoryFor {
  const cache = new Map<string, { key: string; directory: Directory }>();
  return (client) => {
    const connection = client.directory;
    if (!connection) return undefined;
    const key = JSON.stringify(connection);
    const hit = cache.get(client.clientId);
    if (hit?.key === key) return hit.directory;
    const directory = new GraphDirectory({
      credential: credentialFor(connection, env),
      baseUrl: connection.baseUrl,
    });
    cache.set(client.clientId, { key, directory });
    return directory;
  };
}
