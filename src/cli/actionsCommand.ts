import { openStorage } from '../composition/storage';
import type { AuditRecord } from '../ports/auditLog';
import { CliError } from './files';

/** The audit log of a client's user and licence actions, for the client or its auditors. */
export async function auditedActions(clientId: string, since?: string): Promise<AuditRecord[]> {
  if (since !== undefined && Number.isNaN(Date.parse(since)))
    throw new CliError('--since must be a date, e.g. 2026-11-01 or 2026-11-01T09:00:00Z');
  const log = openStorage().audit();
  return log.forClient(clientId, since === undefined ? undefined : new Date(since).toISOString());
}
