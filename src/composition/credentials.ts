import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';

import type { AppConfig } from '../config';

/** The app's own identity in Azure: the user-assigned one AZURE_CLIENT_ID names, or the default chain. */
export function managedIdentity(config: AppConfig): TokenCredential {
  const clientId = config.managedIdentityClientId;
  return new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
}
