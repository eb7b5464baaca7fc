import type { TableClient } from '@azure/data-tables';

import type { ClientProfile } from '../../domain/client';
import type { ClientStore } from '../../ports/clientStore';
import { RecentReads, type RecentReadsOptions } from './recentReads';
import { tryGetEntity } from './tableNames';

/**
 * Client profiles, one row each (PK `client`, RK client id). With `maxAgeMs`, a profile read is
 * used for that long before it is read again: one written elsewhere (another instance, the CLI)
 * is seen within that long, one this process writes at once.
 */
export class TableClientStore implements ClientStore {
  private readonly recent: RecentReads;

  constructor(
    private readonly table: TableClient,
    caching?: RecentReadsOptions,
  ) {
    this.recent = new RecentReads(caching);
  }

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async get(clientId: string): Promise<ClientProfile | undefined> {
    const json = await this.recent.read(clientId, async () => {
      const row = await tryGetEntity<{ profile: string }>(this.table, 'client', clientId);
      return row?.profile;
    });
    return json === undefined ? undefined : (JSON.parse(json) as ClientProfile);
  }

  async put(profile: ClientProfile): Promise<void> {
    const json = JSON.stringify(profile);
    this.recent.forget(profile.clientId);
    await this.table.upsertEntity(
      { partitionKey: 'client', rowKey: profile.clientId, profile: json },
      'Replace',
    );
    this.recent.remember(profile.clientId, json);
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
