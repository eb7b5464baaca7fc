import type { TableClient, TransactionAction } from '@azure/data-tables';

import { fromChunks, toChunks } from '../../adapters/tables/chunked';
import { isRestError, odataString, tryGetEntity } from '../../adapters/tables/tableNames';
import type { HistoryEvent, InstanceState, TimerRow } from './types';

const STATE_ROW = 'state';
const historyKey = (executionId: string, index: number) =>
  `h|${executionId}|${String(index).padStart(8, '0')}`;
const timerKey = (t: TimerRow) =>
  `${String(t.fireAt).padStart(15, '0')}|${t.instanceId}|${t.executionId}|${String(t.timerId).padStart(8, '0')}`;

export interface LoadedState {
  state: InstanceState;
  etag: string;
}

/**
 * Where the engine keeps instances, histories and durable timers. `save` is the commit point: it
 * refuses a stale etag, and history past the state's `historyCount` does not count.
 */
export interface DurableStore {
  ensure(): Promise<void>;
  load(instanceId: string): Promise<LoadedState | undefined>;
  /** Creates the state, or replaces it when `etag` is given and still current; returns the new etag. */
  save(state: InstanceState, etag?: string): Promise<string>;
  readHistory(state: InstanceState): Promise<HistoryEvent[]>;
  /** Writes history at fixed positions; writing them again after a crash is harmless. */
  writeHistory(state: InstanceState, startIndex: number, events: HistoryEvent[]): Promise<void>;
  deleteInstance(instanceId: string): Promise<boolean>;
  listStates(): Promise<InstanceState[]>;
  putTimer(timer: TimerRow): Promise<void>;
  deleteTimer(timer: TimerRow): Promise<void>;
  nextTimerAt(): Promise<number | undefined>;
  dueTimers(now: number, max?: number): Promise<TimerRow[]>;
}

/** What the engine sends to its control and work-item queues. */
export interface MessageSink<T> {
  ensureQueue(): Promise<void>;
  send(body: T): Promise<unknown>;
}

/**
 * Instance state and history share one table partition per instance (PK = instance id), like the
 * Azure Storage provider's History table. The state row is the commit point: history rows past
 * its `historyCount` are ignored, so a crash mid-write leaves nothing half-committed.
 */
export class TableDurableStore implements DurableStore {
  constructor(
    private readonly history: TableClient,
    private readonly timers: TableClient,
  ) {}

  async ensure(): Promise<void> {
    await Promise.all([this.history.createTable(), this.timers.createTable()]);
  }

  async load(instanceId: string): Promise<LoadedState | undefined> {
    const row = await tryGetEntity(this.history, instanceId, STATE_ROW);
    return row && { state: JSON.parse(fromChunks(row)) as InstanceState, etag: row.etag };
  }

  /** Creates the state row, or replaces it when `etag` is given; returns the new etag. */
  async save(state: InstanceState, etag?: string): Promise<string> {
    const entity = {
      partitionKey: state.instanceId,
      rowKey: STATE_ROW,
      ...toChunks(JSON.stringify(state)),
      status: state.runtimeStatus,
      createdTime: state.createdTime,
    };
    const res = etag
      ? await this.history.updateEntity(entity, 'Replace', { etag })
      : await this.history.createEntity(entity);
    return res.etag ?? '';
  }

  async readHistory(state: InstanceState): Promise<HistoryEvent[]> {
    if (state.historyCount === 0) return [];
    const from = historyKey(state.executionId, 0);
    const to = historyKey(state.executionId, state.historyCount);
    const filter = `PartitionKey eq ${odataString(state.instanceId)} and RowKey ge ${odataString(from)} and RowKey lt ${odataString(to)}`;
    const events: HistoryEvent[] = [];
    for await (const row of this.history.listEntities<Record<string, unknown>>({
      queryOptions: { filter },
    })) {
      events.push(JSON.parse(fromChunks(row)) as HistoryEvent);
    }
    return events;
  }

  /** Upserts history rows at fixed keys; rewriting them after a crash is harmless. */
  async writeHistory(state: InstanceState, startIndex: number, events: HistoryEvent[]): Promise<void> {
    const actions: TransactionAction[] = events.map((e, i) => [
      'upsert',
      {
        partitionKey: state.instanceId,
        rowKey: historyKey(state.executionId, startIndex + i),
        ...toChunks(JSON.stringify(e)),
      },
      'Replace',
    ]);
    for (let i = 0; i < actions.length; i += 100)
      await this.history.submitTransaction(actions.slice(i, i + 100));
  }

  async deleteInstance(instanceId: string): Promise<boolean> {
    let deleted = false;
    const filter = `PartitionKey eq ${odataString(instanceId)}`;
    for await (const row of this.history.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) {
      await this.history.deleteEntity(instanceId, row.rowKey ?? '').catch((err: unknown) => {
        if (!isRestError(err, 404)) throw err;
      });
      deleted = true;
    }
    return deleted;
  }

  async listStates(): Promise<InstanceState[]> {
    const filter = `RowKey eq ${odataString(STATE_ROW)}`;
    const states: InstanceState[] = [];
    for await (const row of this.history.listEntities<Record<string, unknown>>({
      queryOptions: { filter },
    })) {
      states.push(JSON.parse(fromChunks(row)) as InstanceState);
    }
    return states;
  }

  async putTimer(timer: TimerRow): Promise<void> {
    await this.timers.upsertEntity(
      { partitionKey: 't', rowKey: timerKey(timer), timer: JSON.stringify(timer) },
      'Replace',
    );
  }

  async deleteTimer(timer: TimerRow): Promise<void> {
    try {
      await this.timers.deleteEntity('t', timerKey(timer));
    } catch (err) {
      if (!isRestError(err, 404)) throw err;
    }
  }

  async nextTimerAt(): Promise<number | undefined> {
    const pages = this.timers
      .listEntities<{ timer: string }>({ queryOptions: { filter: `PartitionKey eq 't'` } })
      .byPage({ maxPageSize: 1 });
    for await (const page of pages) {
      const row = page[0];
      return row ? (JSON.parse(row.timer) as TimerRow).fireAt : undefined;
    }
    return undefined;
  }

  async dueTimers(now: number, max = 100): Promise<TimerRow[]> {
    const filter = `PartitionKey eq 't' and RowKey le ${odataString(`${String(now).padStart(15, '0')}|~`)}`;
    const due: TimerRow[] = [];
    for await (const row of this.timers.listEntities<{ timer: string }>({ queryOptions: { filter } })) {
      due.push(JSON.parse(row.timer) as TimerRow);
      if (due.length >= max) break;
    }
    return due;
  }
}
