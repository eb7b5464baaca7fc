import type { OrchestrationContext, Task } from 'durable-functions';

import { TICKET_EVENT, type TicketEvent } from '../domain/lifecycle';

export type Wake = { kind: 'event'; event: TicketEvent } | { kind: 'timer'; name: string };

/**
 * The longest timer the ticket workflow ever creates. durable-functions runs a timer over the
 * extension's maximum (6 days on Azure Storage) as hops, and a cancelled multi-hop timer
 * desynchronises its task ids from the host's (its first hop still fires, and durable-functions
 * 3.5.0 then tracks a hop the host never schedules). So a longer wait is a chain of short timers
 * that may be cancelled safely.
 */
export const MAX_TIMER_MS = 3 * 24 * 60 * 60 * 1000;

/**
 * Waits for the next ticket event or the earliest of some named deadlines, without ever losing an
 * event.
 *
 * durable-functions hands a raised event to the most recently created wait for that name that has
 * not received one yet, even if that wait lost an earlier race to a timer. So an event that
 * arrives while the orchestrator is busy lands in an old, abandoned wait. We keep every wait we
 * created and, before waiting again, collect any that completed in the meantime.
 */
export class EventInbox {
  private waits: Task[] = [];

  constructor(private readonly context: OrchestrationContext) {}

  *next(deadlines: Record<string, number | undefined>): Generator<Task, Wake, unknown> {
    for (;;) {
      const missed = this.collect();
      if (missed) return { kind: 'event', event: missed };

      const now = this.context.df.currentUtcDateTime.getTime();
      const pending = Object.entries(deadlines).filter((d): d is [string, number] => d[1] !== undefined);
      const overdue = pending.filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1])[0];
      if (overdue) return { kind: 'timer', name: overdue[0] };

      // Deadlines past the horizon are reached through a short "hop" timer and another look.
      const horizon = now + MAX_TIMER_MS;
      const timers = pending
        .filter(([, at]) => at <= horizon)
        .map(([name, at]) => ({ name, task: this.context.df.createTimer(new Date(at)) }));
      if (timers.length < pending.length)
        timers.push({ name: '', task: this.context.df.createTimer(new Date(horizon)) });
      const wait = this.context.df.waitForExternalEvent(TICKET_EVENT);
      this.waits.push(wait);
      const winner = (yield this.context.df.Task.any([wait, ...timers.map((t) => t.task)])) as Task;
      // Every timer here is short, so a cancelled one is harmless when it still fires on Azure.
      for (const t of timers) if (t.task !== winner && !t.task.isCompleted) t.task.cancel();
      if (winner === wait) {
        this.waits = this.waits.filter((w) => w !== wait);
        return { kind: 'event', event: wait.result as TicketEvent };
      }
      const name = timers.find((t) => t.task === winner)?.name ?? '';
      if (name) return { kind: 'timer', name };
    }
  }

  /** The earliest-arrived event that reached an abandoned wait, if any. */
  private collect(): TicketEvent | undefined {
    // Later waits receive first, so the newest completed wait holds the oldest missed event.
    for (let i = this.waits.length - 1; i >= 0; i--) {
      const wait = this.waits[i];
      if (wait?.isCompleted) {
        this.waits.splice(i, 1);
        return wait.result as TicketEvent;
      }
    }
    return undefined;
  }
}
