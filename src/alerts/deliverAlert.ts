import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';

import {
  alertCard,
  type AlertChannel,
  type AlertFacts,
  alertMail,
  type AlertRouting,
  type Audience,
  type AudienceChannels,
  audienceLabel,
  AUDIENCES,
} from '../domain/alerts';
import { logSafe } from '../http/httpHelpers';
import { alertQueueName } from '../names';
import type { AlertDeliveryLedger, AlertFailureLog, ChatWebhook } from '../ports/alertDelivery';
import type { EmailSender } from '../ports/emailSender';

export interface DeliverAlertDeps {
  audience: Audience;
  channels: AudienceChannels;
  ledger: AlertDeliveryLedger;
  webhook: ChatWebhook;
  mail: EmailSender;
  failures: AlertFailureLog;
  /** The ticket's priority for the card, when the alert names a ticket that exists. */
  priorityOf?: (ticketId: string) => Promise<string | undefined>;
  publicBaseUrl: string;
  now: () => Date;
}

const queuedAlert = z.object({
  key: z.string().min(1),
  ticketId: z.string().min(1),
  clientId: z.string().default('?'),
  tier: z.number().default(1),
  kind: z.string().default('alert'),
  message: z.string().default(''),
  at: z.string().default(''),
  audience: z.literal('oncall').optional(),
});

/** Outgoing mail keys are table row keys in the outbox: no `/ \ # ?` or control characters. */
const mailKey = (alert: AlertFacts) =>
  `alert.${alert.ticketId}.${alert.key}.email`
    .replace(/[/\\#?\u0000-\u001f\u007f-\u009f]/g, '_')
    .slice(0, 500);

/**
 * Delivers one alert from an audience's queue to that audience's channels: a Teams Workflows
 * webhook (an Adaptive Card) and a mail. Each channel goes once (the ledger keeps what went): a
 * channel that fails is logged as an error, recorded in the Events table, and makes the
 * invocation throw, so the queue brings the message back (host.json: every 10 s, five tries,
 * then `<queue>-poison`, which the hourly poison watch reports) and only that channel is tried
 * again. Delivery runs off the ticket workflow's path: a failing channel never holds a ticket up.
 */
export function deliverAlertHandler(deps: DeliverAlertDeps) {
  return async function deliverAlert(queued: unknown, context: InvocationContext): Promise<void> {
    const parsed = queuedAlert.safeParse(queued);
    if (!parsed.success) {
      // Only autotier writes these queues: a message that is not an alert cannot become one by retrying.
      context.error(`deliverAlert (${deps.audience}): a message that is not an alert was dropped`);
      return;
    }
    const alert: AlertFacts = parsed.data;
    const attempt = Number(context.triggerMetadata?.dequeueCount ?? 1) || 1;
    // The priority only enriches the card: an alert goes out without it rather than wait for it.
    const priority = alert.ticketId.startsWith('_')
      ? undefined
      : await deps.priorityOf?.(alert.ticketId).catch(() => undefined);
    const cardContext = { audience: deps.audience, publicBaseUrl: deps.publicBaseUrl, priority };

    const sends: [AlertChannel, () => Promise<void>][] = [];
    const { webhook, email } = deps.channels;
    if (webhook) sends.push(['webhook', () => deps.webhook.post(webhook, alertCard(alert, cardContext))]);
    if (email)
      sends.push([
        'email',
        async () => {
          await deps.mail.send({ ...alertMail(alert, cardContext, email), idempotencyKey: mailKey(alert) });
        },
      ]);

    const failed: AlertChannel[] = [];
    for (const [channel, send] of sends) {
      const delivery = { ticketId: alert.ticketId, notificationKey: alert.key, channel };
      if (await deps.ledger.delivered(delivery)) continue;
      try {
        await send();
      } catch (err) {
        const error = logSafe(err instanceof Error ? err.message : String(err), 300);
        failed.push(channel);
        // A logged error reaches Application Insights, where an alert rule can page on it.
        context.error(
          `autotier.alertDeliveryFailed ${JSON.stringify({ channel, ticketId: alert.ticketId, key: alert.key, audience: deps.audience, attempt })}: the ${channel} channel of ${audienceLabel(deps.audience)} failed: ${error}`,
        );
        await deps.failures.alertDeliveryFailed({
          ...delivery,
          audience: deps.audience,
          kind: alert.kind,
          attempt,
          error,
          at: deps.now().toISOString(),
        });
        continue;
      }
      const at = deps.now().toISOString();
      await deps.ledger.record(delivery, { audience: deps.audience, at });
      if (attempt > 1) await deps.failures.alertDeliveryRecovered(delivery, { attempt, at });
    }
    if (failed.length > 0)
      throw new Error(
        `alert ${alert.key} on ${alert.ticketId}: ${failed.join(' and ')} failed on try ${attempt}; the queue tries again`,
      );
  };
}

/** The functions' names, one per audience queue. */
export const deliverAlertFunctionName = (audience: Audience) =>
  `deliverAlert${audience.charAt(0).toUpperCase()}${audience.slice(1)}`;

/** What start-up says about alert delivery: which queues are delivered, and which are left alone. */
export function alertRoutingSummary(routing: AlertRouting | undefined, tierQueuePrefix: string): string {
  const delivered = AUDIENCES.filter((a) => routing?.[a]);
  const left = AUDIENCES.filter((a) => !routing?.[a]).map((a) => alertQueueName(tierQueuePrefix, a));
  if (delivered.length === 0)
    return `AUTOTIER_NOTIFY is not set: alerts are not delivered and stay in the queues ${left.join(', ')}`;
  const channels = delivered.map(
    (a) =>
      `${a} (${[routing?.[a]?.webhook ? 'Teams webhook' : '', routing?.[a]?.email ? 'email' : ''].filter(Boolean).join(' and ')})`,
  );
  return `alerts are delivered to ${channels.join(', ')}${left.length > 0 ? `; no channel for the others, whose alerts stay in ${left.join(', ')}` : ''}`;
}
