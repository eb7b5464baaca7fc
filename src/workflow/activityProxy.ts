import type { OrchestrationContext, Task } from 'durable-functions';
import * as df from 'durable-functions';

import { Activities } from '../names';
import type { TicketActivities, TicketStepInput } from './activities/ticketActivities';

/**
 * One activity as the workflow sees it (temporalio's `proxyActivities<ReturnType<...>>`): the input
 * without what the proxy fills in, and a generator the orchestrator `yield*`s for the typed result.
 */
type ActivityCall<A> = A extends (input: infer I) => Promise<infer O>
  ? (input: Omit<I, keyof TicketStepInput>) => Generator<Task, O, unknown>
  : never;

export type TicketActivityProxy = { [K in keyof TicketActivities]: ActivityCall<TicketActivities[K]> };

/** Every activity is registered under its name from `names.ts`, and every name is an activity. */
const NAMES: Record<keyof TicketActivities, string> = Activities;

/** Activities talk to storage and mail; a short blip should not fail a ticket. */
const ACTIVITY_RETRY = new df.RetryOptions(5_000, 4);
ACTIVITY_RETRY.backoffCoefficient = 2;
/**
 * Activities that send mail wait out a throttle: ACS's Azure-managed domain allows a handful of
 * mails an hour, so these retry for about 95 minutes (10 s doubling, at most 15 min apart).
 */
const MAIL_RETRY = new df.RetryOptions(10_000, 12);
MAIL_RETRY.backoffCoefficient = 2;
MAIL_RETRY.maxRetryIntervalInMilliseconds = 15 * 60_000;

const RETRY: Record<keyof TicketActivities, df.RetryOptions> = {
  acknowledge: MAIL_RETRY,
  classify: ACTIVITY_RETRY,
  // Sends nothing (the intake sent the acknowledgement): storage blips only.
  triage: ACTIVITY_RETRY,
  runPlaybook: MAIL_RETRY,
  sendUpdate: MAIL_RETRY,
  escalate: ACTIVITY_RETRY,
  updateTicket: ACTIVITY_RETRY,
  notifyTier: ACTIVITY_RETRY,
  recordOutcome: ACTIVITY_RETRY,
  recordReply: ACTIVITY_RETRY,
  readReply: ACTIVITY_RETRY,
};

/**
 * The ticket activities for one orchestration: each call schedules the named activity with its
 * retry policy, the ticket id and the orchestration's time of the step.
 */
export function proxyTicketActivities(context: OrchestrationContext, ticketId: string): TicketActivityProxy {
  const call = (key: keyof TicketActivities) =>
    function* (input: object): Generator<Task, unknown, unknown> {
      const at = context.df.currentUtcDateTime.toISOString();
      return yield context.df.callActivityWithRetry(NAMES[key], RETRY[key], { ticketId, at, ...input });
    };
  const proxy: Partial<Record<keyof TicketActivities, ReturnType<typeof call>>> = {};
  for (const key of Object.keys(NAMES) as (keyof TicketActivities)[]) proxy[key] = call(key);
  // The one place the durable result meets its type: each entry calls the activity of its key.
  return proxy as TicketActivityProxy;
}
