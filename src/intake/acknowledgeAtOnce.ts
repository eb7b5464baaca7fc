import { CircuitBreaker } from '../domain/circuitBreaker';
import { acknowledgementMail, mailKey } from '../domain/messages';
import type { Ticket } from '../domain/ticket';
import type { EmailSender } from '../ports/emailSender';
import type { TicketWorkflow } from '../ports/ticketWorkflow';

export interface AcknowledgeAtOnceOptions {
  /** How long the caller waits for the mail service before leaving the mail to the workflow. */
  timeoutMs: number;
  /** After this many misses in a row, nothing is tried for `pauseMs` (a throttled mail service). */
  failures: number;
  pauseMs: number;
}

class TimedOut extends Error {}

/** Acknowledges one new ticket now; when the mail went out, or undefined (see `acknowledgeAtOnce`). */
export type AcknowledgeNow = (ticket: Ticket, warn: (message: string) => void) => Promise<string | undefined>;

export const ACKNOWLEDGE_AT_ONCE: AcknowledgeAtOnceOptions = {
  timeoutMs: 2_000,
  failures: 3,
  pauseMs: 60_000,
};

/**
 * Sends the acknowledgement of a new ticket while its requester waits on the form or the API call,
 * instead of when the workflow's first activity runs: on Azure that runs only once the Durable
 * control and work-item queues are polled (their back-off reaches 30 s on an idle app), and in an
 * outage storm it queues behind every earlier ticket's classification and guide. The caller passes
 * the time it returns to the workflow, whose `acknowledge` activity then records the step (timeline,
 * PSA, metrics) without sending again. When it returns undefined (mail service down, slow or
 * throttled) the activity sends the mail, with its retries, under the same idempotency key, so a
 * send left under way here is not repeated.
 *
 * It never throws and never waits longer than `timeoutMs`; after repeated misses it stops trying
 * for `pauseMs`, so a throttled mail service does not slow every intake down.
 */
export function acknowledgeAtOnce(
  mail: EmailSender,
  now: () => Date,
  options: AcknowledgeAtOnceOptions = ACKNOWLEDGE_AT_ONCE,
): AcknowledgeNow {
  const breaker = new CircuitBreaker({ failures: options.failures, openMs: options.pauseMs }, () =>
    now().getTime(),
  );
  return async (ticket, warn) => {
    if (!breaker.allow()) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
    });
    try {
      const sent = mail.send({
        ...acknowledgementMail(ticket),
        idempotencyKey: mailKey(ticket.ticketId, 'ack'),
      });
      // A send still under way when the wait ends may finish later; the activity's send of the
      // same key then finds it (or ACS's own Operation-Id check does).
      sent.catch(() => undefined);
      if ((await Promise.race([sent, timedOut])) === 'timeout') throw new TimedOut();
      breaker.success();
      return now().toISOString();
    } catch (err) {
      breaker.failure();
      // Not the error's text: a mail service's may name the recipient.
      const why =
        err instanceof TimedOut ? `no answer in ${options.timeoutMs} ms` : 'the mail service refused it';
      warn(`acknowledgement of ${ticket.ticketId} left to its workflow: ${why}`);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * Acknowledges a ticket just created (not a repeat delivery) and starts its workflow, telling it
 * when the acknowledgement went out. Without `acknowledge`, the workflow's first activity sends
 * it. A repeat still starts it: the first attempt may have stopped before the orchestration
 * started.
 */
export async function acknowledgeAndStart(
  acknowledge: AcknowledgeNow | undefined,
  workflow: TicketWorkflow,
  ticket: Ticket,
  created: boolean,
  warn: (message: string) => void,
): Promise<{ started: boolean }> {
  const acknowledgedAt = created && acknowledge ? await acknowledge(ticket, warn) : undefined;
  return workflow.ensureStarted(
    { ticketId: ticket.ticketId, clientId: ticket.clientId, ...(acknowledgedAt ? { acknowledgedAt } : {}) },
    { newTicket: created },
  );
}
