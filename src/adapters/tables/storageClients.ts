import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueClient, type StoragePipelineOptions } from '@azure/storage-queue';

import { type NamedSettings, namedSettings } from '../../config';

/**
 * Where storage lives: a connection string (Azurite, or an account key in a pinch) or, in Azure,
 * identity-based service URIs read from `<connection>__tableServiceUri` and friends.
 */
export type StorageConnection =
  | { kind: 'connectionString'; connectionString: string }
  | {
      kind: 'identity';
      tableServiceUri?: string;
      queueServiceUri?: string;
      blobServiceUri?: string;
      credential: TokenCredential;
    };

export function storageConnectionFromSettings(
  settingName: string,
  env: NamedSettings = namedSettings(),
): StorageConnection {
  const direct = env[settingName];
  if (direct) return { kind: 'connectionString', connectionString: direct };
  const prefix = `${settingName}__`;
  const tableServiceUri = env[`${prefix}tableServiceUri`];
  const queueServiceUri = env[`${prefix}queueServiceUri`];
  const blobServiceUri = env[`${prefix}blobServiceUri`];
  if (!tableServiceUri && !queueServiceUri && !blobServiceUri) {
    throw new Error(
      `storage setting ${settingName} is not configured (set it, or ${prefix}tableServiceUri and ${prefix}queueServiceUri)`,
    );
  }
  const clientId = env[`${prefix}clientId`];
  const credential =
    env[`${prefix}credential`] === 'managedidentity'
      ? new ManagedIdentityCredential(clientId ? { clientId } : {})
      : new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
  return { kind: 'identity', tableServiceUri, queueServiceUri, blobServiceUri, credential };
}

const isLocal = (cs: string) => /UseDevelopmentStorage=true|127\.0\.0\.1|localhost/i.test(cs);

/**
 * Short retries inside one call: a request the app answers while storage is away should answer
 * 503 within about a second, not after the SDKs' default back-off (seconds per call). Work that
 * must outlast an outage is retried by Durable Functions and the queue triggers, not here.
 */
const TABLE_RETRIES = { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1000 };
const STORAGE_RETRIES = { maxTries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 1000 };

export function createTableClient(conn: StorageConnection, table: string): TableClient {
  if (conn.kind === 'connectionString') {
    const options: TableServiceClientOptions = {
      allowInsecureConnection: isLocal(conn.connectionString),
      retryOptions: TABLE_RETRIES,
    };
    return TableClient.fromConnectionString(conn.connectionString, table, options);
  }
  if (!conn.tableServiceUri) throw new Error('tableServiceUri is not configured');
  return new TableClient(conn.tableServiceUri, table, conn.credential, { retryOptions: TABLE_RETRIES });
}

export function createQueueClient(conn: StorageConnection, queue: string): QueueClient {
  if (conn.kind === 'connectionString') {
    const options: StoragePipelineOptions = { retryOptions: STORAGE_RETRIES };
    return new QueueClient(conn.connectionString, queue, options);
  }
  if (!conn.queueServiceUri) throw new Error('queueServiceUri is not configured');
  return new QueueClient(`${conn.queueServiceUri.replace(/\/$/, '')}/${queue}`, conn.credential, {
    retryOptions: STORAGE_RETRIES,
  });
}

export function createBlobServiceClient(conn: StorageConnection): BlobServiceClient {
  if (conn.kind === 'connectionString')
    return BlobServiceClient.fromConnectionString(conn.connectionString, { retryOptions: STORAGE_RETRIES });
  if (!conn.blobServiceUri) throw new Error('blobServiceUri is not configured');
  return new BlobServiceClient(conn.blobServiceUri, conn.credential, { retryOptions: STORAGE_RETRIES });
}
