import type { TableClient } from '@azure/data-tables';

import { dayOf } from '../../domain/assistant';
import type { AssistantTotals, AssistantUsage, AssistantUsageLedger } from '../../ports/assistant';
import { odataString, safeRowKey } from './tableNames';

interface UsageRow {
  use: string;
  calls: number;
  tokens: number;
  fallback: boolean;
  reason?: string;
}

/**
 * One row per use, keyed (client, `<day>|<key>`): a retried activity upserts its own row instead of
 * counting twice, every instance sees the same budget, and a day's or a range's usage is one
 * bounded range read. Rows hold counts and a reason word only, never a prompt or an answer.
 */
export class TableAssistantUsage implements AssistantUsageLedger {
  constructor(private readonly table: TableClient) {}

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async record(entry: AssistantUsage): Promise<void> {
    await this.table.upsertEntity<UsageRow & { partitionKey: string; rowKey: string }>(
      {
        partitionKey: entry.clientId,
        rowKey: `${entry.day}|${safeRowKey(entry.key)}`,
        use: entry.use,
        calls: entry.calls,
        tokens: entry.tokens,
        fallback: entry.fallback,
        ...(entry.reason ? { reason: entry.reason } : {}),
      },
      'Replace',
    );
  }

  async tokensOn(clientId: string, day: string): Promise<number> {
    return (await this.sum(clientId, day, `${day}|~`)).tokens;
  }

  async totals(clientId: string, from: Date, to: Date): Promise<AssistantTotals> {
    // Usage is kept by UTC day: the days the range touches.
    return this.sum(clientId, dayOf(from), `${dayOf(new Date(to.getTime() - 1))}|~`);
  }

  private async sum(clientId: string, fromKey: string, toKey: string): Promise<AssistantTotals> {
    const totals: AssistantTotals = { calls: 0, tokens: 0, fallbacks: 0 };
    const filter = `PartitionKey eq ${odataString(clientId)} and RowKey ge ${odataString(fromKey)} and RowKey lt ${odataString(toKey)}`;
    for await (const row of this.table.listEntities<UsageRow>({
      queryOptions: { filter, select: ['calls', 'tokens', 'fallback'] },
    })) {
      totals.calls += Number(row.calls) || 0;
      totals.tokens += Number(row.tokens) || 0;
      if (row.fallback) totals.fallbacks++;
    }
    return totals;
  }
}
