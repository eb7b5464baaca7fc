import { createHash } from 'node:crypto';

import type { TableClient, TableEntityResult } from '@azure/data-tables';

/** Escapes a value for an OData string literal in a table filter. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function isRestError(err: unknown, status: number): boolean {
  return typeof err === 'object' && err !== null && (err as { statusCode?: number }).statusCode === status;
}

/** The entity at (pk, rk), or undefined when there is none (404); any other failure throws. */
export async function tryGetEntity<T extends object = Record<string, unknown>>(
  table: TableClient,
  pk: string,
  rk: string,
): Promise<TableEntityResult<T> | undefined> {
  try {
    return await table.getEntity<T>(pk, rk);
  } catch (err) {
    if (isRestError(err, 404)) return undefined;
    throw err;
  }
}

/**
 * A row key for a value that came from outside (a Message-ID, a PSA or webhook event id). Table
 * keys refuse `/`, `\`, `#`, `?` and control characters and hold at most 1 KiB, so such values
 * (and long ones) are keyed by their SHA-256; plain short values stay readable as they are.
 */
export function safeRowKey(value: string): string {
  if (value.length <= 256 && !/[/\\#?\u0000-\u001f\u007f-\u009f]/.test(value) && !value.startsWith('sha256:'))
    return value;
  return `sha256:${createHash('sha256').update(value, 'utf8').digest('hex')}`;
}
