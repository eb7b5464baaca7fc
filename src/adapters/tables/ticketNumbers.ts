import type { TableClient } from '@azure/data-tables';

import { isRestError, tryGetEntity } from './tableNames';

const COUNTER_PARTITION = '_counter';
const MAX_CONCURRENCY_RETRIES = 20;

/**
 * Reference numbers count up per deployment (T-1001, T-1002, ...) with an ETag-guarded counter
 * (`_counter/ticket` in the tickets table). Within a process, the creations that wait while one
 * reservation is on its way share the next: one read and one write of the counter for all of
 * them, in the order they asked, and no number is skipped (32 tickets at once no longer queue
 * behind 32 round trips each). Between processes, a conflict backs off with jitter before trying
 * again.
 */
export class TicketNumbers {
  /** Ticket creations waiting for a number, and whether a reservation is on its way. */
  private readonly waiting: { resolve: (n: number) => void; reject: (err: unknown) => void }[] = [];
  private reserving = false;

  constructor(private readonly table: TableClient) {}

  next(): Promise<number> {
    const number = new Promise<number>((resolve, reject) => this.waiting.push({ resolve, reject }));
    void this.reserveForWaiting();
    return number;
  }

  private async reserveForWaiting(): Promise<void> {
    if (this.reserving) return;
    this.reserving = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0);
        try {
          const first = await this.reserve(batch.length);
          batch.forEach((w, i) => w.resolve(first + i));
        } catch (err) {
          batch.forEach((w) => w.reject(err));
        }
      }
    } finally {
      this.reserving = false;
    }
  }

  /** Reserves `count` consecutive numbers; returns the first. */
  private async reserve(count: number): Promise<number> {
    for (let attempt = 0; attempt < MAX_CONCURRENCY_RETRIES; attempt++) {
      if (attempt > 0)
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** attempt)));
      const counter = await tryGetEntity<{ next: number }>(this.table, COUNTER_PARTITION, 'ticket');
      try {
        if (!counter) {
          await this.table.createEntity({
            partitionKey: COUNTER_PARTITION,
            rowKey: 'ticket',
            next: 1 + count,
          });
          return 1;
        }
        await this.table.updateEntity(
          { partitionKey: COUNTER_PARTITION, rowKey: 'ticket', next: counter.next + count },
          'Replace',
          { etag: counter.etag },
        );
        return counter.next;
      } catch (err) {
        if (!isRestError(err, 409) && !isRestError(err, 412)) throw err;
      }
    }
    throw new Error('could not reserve a ticket number: too much contention');
  }
}
