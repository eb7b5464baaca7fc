import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueClient, type StoragePipelineOptions } from '@azure/storage-queue';

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
  env: NodeJS.ProcessEnv = process.env,
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

export function createTableClient(conn: StorageConnection, table: string): TableClient {
  if (conn.kind === 'connectionString') {
    const options: TableServiceClientOptions = { allowInsecureConnection: isLocal(conn.connectionString) };
    return TableClient.fromConnectionString(conn.connectionString, table, options);
  }
  if (!conn.tableServiceUri) throw new Error('tableServiceUri is not configured');
  return new TableClient(conn.tableServiceUri, table, conn.credential);
}

export function createQueueClient(conn: StorageConnection, queue: string): QueueClient {
  if (conn.kind === 'connectionString') {
    const options: StoragePipelineOptions = {};
    return new QueueClient(conn.connectionString, queue, options);
  }
  if (!conn.queueServiceUri) throw new Error('queueServiceUri is not configured');
  return new QueueClient(`${conn.queueServiceUri.replace(/\/$/, '')}/${queue}`, conn.credential);
}

export function createBlobServiceClient(conn: StorageConnection): BlobServiceClient {
  if (conn.kind === 'connectionString') return BlobServiceClient.fromConnectionString(conn.connectionString);
  if (!conn.blobServiceUri) throw new Error('blobServiceUri is not configured');
  return new BlobServiceClient(conn.blobServiceUri, conn.credential);
}
