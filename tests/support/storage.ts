import { randomBytes } from 'node:crypto';

import type { TableClient } from '@azure/data-tables';
import type { QueueClient } from '@azure/storage-queue';

import {
  createBlobServiceClient,
  createQueueClient,
  createTableClient,
  storageConnectionFromSettings,
} from '../../src/adapters/tables/storageClients';

process.env.AzureWebJobsStorage ??= 'UseDevelopmentStorage=true';

/** A fresh name per test, so tests never see each other's data. */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

export async function freshTable(prefix = 'test'): Promise<TableClient> {
  const table = createTableClient(storageConnectionFromSettings('AzureWebJobsStorage'), uniqueName(prefix));
  await table.createTable();
  return table;
}

export async function freshQueue(prefix = 'test-'): Promise<QueueClient> {
  const queue = createQueueClient(storageConnectionFromSettings('AzureWebJobsStorage'), uniqueName(prefix));
  await queue.create();
  return queue;
}

export function table(name: string): TableClient {
  return createTableClient(storageConnectionFromSettings('AzureWebJobsStorage'), name);
}

export function blobService() {
  return createBlobServiceClient(storageConnectionFromSettings('AzureWebJobsStorage'));
}

export function queue(name: string): QueueClient {
  return createQueueClient(storageConnectionFromSettings('AzureWebJobsStorage'), name);
}

export async function countRows(client: TableClient, filter?: string): Promise<number> {
  let n = 0;
  for await (const _ of client.listEntities({ queryOptions: filter ? { filter } : {} })) n++;
  return n;
}
