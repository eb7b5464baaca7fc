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
    private readonly pollOnce: () => Promise<number>,
    private readonly options: PollerOptions,
    private readonly log: Logger,
  ) {}

  get idle(): boolean {
    return this.inflight === 0;
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
 */
export function queuePass<T>(options: QueueWorkOptions<T>): () => Promise<number> {
  return async () => {
    const messages = await options.queue.receive(options.batchSize, options.visibilityTimeoutSeconds);
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
    return messages.length;
  };
}
