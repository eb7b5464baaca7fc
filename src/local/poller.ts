import type { JsonQueue, ReceivedMessage } from '../adapters/queues/jsonQueue';
import type { Logger } from './invoke';

export interface PollerOptions {
  minIntervalMs: number;
  maxIntervalMs: number;
}

/**
 * Runs `pollOnce` in a loop: again at once while it finds work, backing off to `maxIntervalMs`
 * while idle, and waking early when `kick()` says new work was queued in this process.
 */
export class Poller {
  private running = false;
  private inflight = 0;
  private wake?: () => void;
  private loop?: Promise<void>;

  constructor(
    readonly name: string,
    private readonly pollOnce: (() => Promise<number>) & {
      busy?: () => boolean;
      settled?: () => Promise<void>;
    },
    private readonly options: PollerOptions,
    private readonly log: Logger,
  ) {}

  /** Nothing polled or handled now (a pipelined pass may still be handling what it received). */
  get idle(): boolean {
    return this.inflight === 0 && !this.pollOnce.busy?.();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
    await this.pollOnce.settled?.();
  }

  kick(): void {
    this.wake?.();
  }

  /** One pass, counted as in-flight work so `drain` can wait for it. */
  async runOnce(): Promise<number> {
    this.inflight++;
    try {
      return await this.pollOnce();
    } catch (err) {
      this.log('error', `${this.name}: ${err instanceof Error ? err.message : String(err)}`);
      return 0;
    } finally {
      this.inflight--;
    }
  }

  private async run(): Promise<void> {
    let delay = this.options.minIntervalMs;
    while (this.running) {
      const handled = await this.runOnce();
      if (handled > 0) {
        delay = this.options.minIntervalMs;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
      delay = Math.min(delay * 2, this.options.maxIntervalMs);
    }
  }
}

export type QueueWorkOptions<T> = {
  queue: JsonQueue<T>;
  batchSize: number;
  visibilityTimeoutSeconds: number;
  /** Seconds before a failed message is tried again. */
  retryDelaySeconds: number;
  log: Logger;
} & (
  | { handle: (message: ReceivedMessage<T>) => Promise<void> }
  | {
      /** Messages with the same key are handled together, in the order received. */
      groupBy: (message: ReceivedMessage<T>) => string;
      handleGroup: (messages: ReceivedMessage<T>[]) => Promise<void>;
    }
);

/**
 * Receives a batch, handles each message (or each group of messages), deletes what succeeded and
 * backs off what failed.
 *
 * With `maxInFlight`, passes are pipelined as the Functions host and the Durable extension fetch:
 * a pass returns once its batch is received and handed out, and the next one receives more while
 * earlier messages are still being handled (one slow message does not hold up the batch behind
 * it), as long as fewer than `maxInFlight` messages are in hand (the extension's
 * maxConcurrentActivityFunctions / maxConcurrentOrchestratorFunctions: 10 per core by default).
 * Without it, a pass handles its whole batch before it returns.
 */
export function queuePass<T>(
  options: QueueWorkOptions<T> & { maxInFlight?: number },
): (() => Promise<number>) & { busy: () => boolean; settled: () => Promise<void> } {
  let inHand = 0;
  const handling = new Set<Promise<void>>();
  const waiting: (() => void)[] = [];
  const pass = async () => {
    const limit = options.maxInFlight;
    if (limit !== undefined)
      while (inHand >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    const room = limit === undefined ? options.batchSize : Math.min(options.batchSize, limit - inHand);
    const messages = await options.queue.receive(room, options.visibilityTimeoutSeconds);
    inHand += messages.length;
    const work = handleAll(messages)
      .catch((err: unknown) =>
        options.log('error', `${options.queue.name}: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => {
        inHand -= messages.length;
        handling.delete(work);
        waiting.splice(0).forEach((resolve) => resolve());
      });
    handling.add(work);
    if (limit === undefined) await work;
    return messages.length;
  };
  return Object.assign(pass, {
    busy: () => handling.size > 0,
    settled: async () => {
      while (handling.size > 0) await Promise.all(handling);
    },
  });

  async function handleAll(messages: ReceivedMessage<T>[]): Promise<void> {
    const groups = new Map<string, ReceivedMessage<T>[]>();
    messages.forEach((m, i) => {
      const key = 'groupBy' in options ? options.groupBy(m) : String(i);
      groups.set(key, [...(groups.get(key) ?? []), m]);
    });
    await Promise.all(
      [...groups.values()].map(async (group) => {
        // Messages stay hidden while they are worked on, however long that takes, and reappear
        // soon after a crash: the lease is short and renewed, as the Functions host renews its own.
        const renew = setInterval(
          () =>
            void Promise.all(
              group.map((m) => options.queue.extend(m, options.visibilityTimeoutSeconds)),
            ).catch(() => undefined),
          Math.max(500, (options.visibilityTimeoutSeconds * 1000) / 3),
        );
        try {
          if ('handleGroup' in options) await options.handleGroup(group);
          else await Promise.all(group.map((m) => options.handle(m)));
          await Promise.all(group.map((m) => options.queue.delete(m)));
        } catch (err) {
          options.log(
            'warning',
            `${options.queue.name}: ${group.length} message(s) failed (attempt ${group[0]?.dequeueCount ?? 0}): ${err instanceof Error ? err.message : String(err)}`,
          );
          await Promise.all(
            group.map((m) => options.queue.release(m, options.retryDelaySeconds).catch(() => undefined)),
          );
        } finally {
          clearInterval(renew);
        }
      }),
    );
  }
}
