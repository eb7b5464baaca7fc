import { type AlertRouting, AUDIENCES } from '../domain/alerts';
import { alertQueueName } from '../names';
import type { PoisonQueue } from '../ports/intakeQueue';
import type { Notifier } from '../ports/notifier';
import type { TokenStore } from '../ports/tokenStore';

/**
 * Raises an alert to tier 2 when a poison queue holds messages: at most one an hour per queue,
 * saying how many and how to replay them. `holds` says what the queue's messages are: intake
 * deliveries, or alerts that could not be delivered. Returns the alert's text when it raised one.
 */
export async function watchPoison(deps: {
  poison: PoisonQueue;
  notifier: Notifier;
  tokens: TokenStore;
  now: Date;
  holds?: 'intake' | 'alerts';
}): Promise<string | undefined> {
  if (!(await deps.poison.exists())) return undefined;
  const count = (await deps.poison.getProperties()).approximateMessagesCount ?? 0;
  if (count === 0) return undefined;
  const hour = deps.now.toISOString().slice(0, 13);
  if (
    !(await deps.tokens.use(
      `poison-alert:${deps.poison.name}:${hour}`,
      new Date(deps.now.getTime() + 86_400_000),
    ))
  )
    return undefined;
  const alerts = deps.holds === 'alerts';
  const queue = deps.poison.name.replace(/-poison$/, '');
  const message = alerts
    ? `${count} alert${count === 1 ? '' : 's'} could not be delivered after five tries and wait${count === 1 ? 's' : ''} in ${deps.poison.name}. The logs (autotier.alertDeliveryFailed) and the Events table (alert_delivery_failed) name the failing channel; fix it in AUTOTIER_NOTIFY, then run: autotier intake replay --queue ${queue}`
    : `${count} intake deliver${count === 1 ? 'y' : 'ies'} failed five times and wait in ${deps.poison.name}. Check the logs, fix the cause, then run: autotier intake replay`;
  await deps.notifier.notify({
    key: alerts ? `poison-${queue}-${hour}` : `poison-${hour}`,
    ticketId: alerts ? '_alerts' : '_intake',
    clientId: '_all',
    tier: 2,
    kind: alerts ? 'alert_poison' : 'intake_poison',
    message,
    at: deps.now.toISOString(),
  });
  return message;
}

export interface PoisonWatchDeps {
  intakeQueue: string;
  tierQueuePrefix: string;
  notify?: AlertRouting;
  poisonQueue: (queue: string) => PoisonQueue;
  notifier: Notifier;
  tokens: TokenStore;
  now: () => Date;
  /** Each alert raised, as it is raised. */
  error: (message: string) => void;
}

/**
 * The hourly watch: the intake queue's poison queue, and each audience queue's that has a channel
 * (only then do deliverAlert functions read it).
 */
export async function watchPoisonQueues(deps: PoisonWatchDeps): Promise<void> {
  const watched: { queue: string; holds: 'intake' | 'alerts' }[] = [
    { queue: deps.intakeQueue, holds: 'intake' },
    ...AUDIENCES.filter((a) => deps.notify?.[a]).map((a) => ({
      queue: alertQueueName(deps.tierQueuePrefix, a),
      holds: 'alerts' as const,
    })),
  ];
  for (const { queue, holds } of watched) {
    const alerted = await watchPoison({
      poison: deps.poisonQueue(queue),
      notifier: deps.notifier,
      tokens: deps.tokens,
      now: deps.now(),
      holds,
    });
    if (alerted) deps.error(alerted);
  }
}
