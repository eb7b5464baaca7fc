/**
 * The storage queue and timer triggers of the local runtime, polled as the Functions host polls
 * them: what each invocation is given, retries and poison queues, NCRONTAB schedules.
 */
import { CronExpressionParser } from 'cron-parser';

import { createQueueClient, storageConnectionFromSettings } from '../adapters/tables/storageClients';
import type { Clock } from './clock';
import type { ParameterBinding } from './coreTypes';
import { type HostJson, resolveSetting } from './hostJson';
import { invokeFunction, type Logger } from './invoke';
import { Poller } from './poller';
import type { FunctionRegistry, RegisteredFunction } from './registry';
import { timeSpanSeconds } from './timeSpan';

/** What a trigger needs of the runtime that hosts it. */
export interface TriggerHost {
  registry: FunctionRegistry;
  clock: Clock;
  log: Logger;
  hostJson: HostJson;
  /** Seconds a dequeued message stays invisible. */
  visibilityTimeoutSeconds: number;
  /** The inputs besides the trigger a function declares (its durable client). */
  extraInputs(fn: RegisteredFunction): ParameterBinding[];
}

/** Storage queue triggers: base64 messages, dequeue count, back-off, and `<queue>-poison` after maxDequeueCount. */
export function queueTriggerPoller(
  host: TriggerHost,
  fn: RegisteredFunction,
  intervals: { minIntervalMs: number; maxIntervalMs: number },
): Poller {
  const queueName = resolveSetting(bindingString(fn.trigger.queueName));
  if (!queueName)
    throw new Error(
      `${fn.name}: its queue name "${bindingString(fn.trigger.queueName)}" resolves to nothing; set that app setting`,
    );
  const connection = storageConnectionFromSettings(
    bindingString(fn.trigger.connection) || 'AzureWebJobsStorage',
  );
  const client = createQueueClient(connection, queueName);
  const poison = createQueueClient(connection, `${queueName}-poison`);
  const maxDequeue = host.hostJson.extensions?.queues?.maxDequeueCount ?? 5;
  // Storage takes whole seconds for a visibility timeout.
  const retrySeconds = Math.max(
    1,
    Math.ceil(timeSpanSeconds(host.hostJson.extensions?.queues?.visibilityTimeout, 1)),
  );
  let ensured = false;
  return new Poller(
    `queue ${queueName}`,
    async () => {
      if (!ensured) {
        await client.createIfNotExists();
        ensured = true;
      }
      const { receivedMessageItems: items } = await client.receiveMessages({
        numberOfMessages: 16,
        // A queue-triggered function may take a while (a PSA that retries): a longer lease.
        visibilityTimeout: Math.max(60, host.visibilityTimeoutSeconds),
      });
      await Promise.all(
        items.map(async (m) => {
          const text = decodeQueueText(m.messageText);
          try {
            await invokeFunction(
              host.registry,
              fn,
              [{ name: fn.triggerName, data: { string: text } }, ...host.extraInputs(fn)],
              host.log,
              {
                Id: { string: m.messageId },
                DequeueCount: { int: m.dequeueCount },
                InsertionTime: { string: m.insertedOn.toISOString() },
                ExpirationTime: { string: m.expiresOn.toISOString() },
                PopReceipt: { string: m.popReceipt },
              },
            );
            await client.deleteMessage(m.messageId, m.popReceipt);
          } catch (err) {
            const reason = err instanceof Error ? err.message : String(err);
            if (m.dequeueCount >= maxDequeue) {
              await poison.createIfNotExists();
              await poison.sendMessage(m.messageText, { messageTimeToLive: -1 });
              await client.deleteMessage(m.messageId, m.popReceipt);
              host.log(
                'error',
                `${fn.name}: message ${m.messageId} failed ${m.dequeueCount} times and moved to ${queueName}-poison: ${reason}`,
              );
            } else {
              host.log(
                'warning',
                `${fn.name}: message ${m.messageId} failed (try ${m.dequeueCount} of ${maxDequeue}): ${reason}`,
              );
              await client
                .updateMessage(m.messageId, m.popReceipt, undefined, retrySeconds)
                .catch(() => undefined);
            }
          }
        }),
      );
      return items.length;
    },
    intervals,
    host.log,
  );
}

/** Timer triggers on NCRONTAB schedules (six fields, seconds first), evaluated on the runtime's clock in UTC. */
export function timerTriggerPoller(host: TriggerHost): Poller | undefined {
  const timers = host.registry.ofTriggerType('timerTrigger').map((fn) => {
    const schedule = resolveSetting(bindingString(fn.trigger.schedule));
    const next = () =>
      CronExpressionParser.parse(schedule, { currentDate: new Date(host.clock.now()), tz: 'UTC' })
        .next()
        .getTime();
    return {
      fn,
      schedule,
      last: host.clock.now(),
      due: next(),
      next,
      runOnStartup: fn.trigger.runOnStartup === true,
    };
  });
  if (timers.length === 0) return undefined;
  return new Poller(
    'timer triggers',
    async () => {
      let ran = 0;
      for (const t of timers) {
        const now = host.clock.now();
        if (!t.runOnStartup && now < t.due) continue;
        const isPastDue = now - t.due > 60_000 && !t.runOnStartup;
        t.runOnStartup = false;
        const input = {
          Schedule: { AdjustForDST: true },
          ScheduleStatus: {
            Last: new Date(t.last).toISOString(),
            Next: new Date(t.due).toISOString(),
            LastUpdated: new Date(now).toISOString(),
          },
          IsPastDue: isPastDue,
        };
        t.last = now;
        t.due = t.next();
        ran++;
        try {
          await invokeFunction(
            host.registry,
            t.fn,
            [{ name: t.fn.triggerName, data: { string: JSON.stringify(input) } }, ...host.extraInputs(t.fn)],
            host.log,
          );
        } catch (err) {
          host.log('error', `${t.fn.name} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      return ran;
    },
    { minIntervalMs: 250, maxIntervalMs: 1000 },
    host.log,
  );
}

const bindingString = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The host decodes base64 message text; text that is not base64 is passed as it is. */
function decodeQueueText(text: string): string {
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0) {
    const decoded = Buffer.from(text, 'base64').toString('utf8');
    if (Buffer.from(decoded, 'utf8').toString('base64') === text) return decoded;
  }
  return text;
}
