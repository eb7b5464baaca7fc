import type { TableClient } from '@azure/data-tables';

import type { ClientProfile } from '../../domain/client';
import type { ClientStore } from '../../ports/clientStore';
import { tryGetEntity } from './tableNames';

/** Client profiles, one row each (PK `client`, RK client id). */
export class TableClientStore implements ClientStore {
  constructor(private readonly table: TableClient) {}

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async get(clientId: string): Promise<ClientProfile | undefined> {
    const row = await tryGetEntity<{ profile: string }>(this.table, 'client', clientId);
    return row && (JSON.parse(row.profile) as ClientProfile);
  }

  async put(profile: ClientProfile): Promise<void> {
    await this.table.upsertEntity(
      { partitionKey: 'client', rowKey: profile.clientId, profile: JSON.stringify(profile) },
      'Replace',
    );
  }

  async list(): Promise<ClientProfile[]> {
    const out: ClientProfile[] = [];
    for await (const row of this.table.listEntities<{ profile: string }>({
      queryOptions: { filter: "PartitionKey eq 'client'" },
    }))
      out.push(JSON.parse(row.profile) as ClientProfile);
    return out;
  }
}
