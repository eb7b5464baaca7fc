import type { QueueClient } from '@azure/storage-queue';

import type { Notifier } from '../../ports/notifier';
import type { TokenStore } from '../../ports/tokenStore';

/**
 * Raises an alert to tier 2 when the intake poison queue holds messages: at most one an hour,
 * saying how many and how to replay them. Returns the alert's text when it raised one.
 */
export async function watchPoison(deps: {
  poison: QueueClient;
  notifier: Notifier;
  tokens: TokenStore;
  now: Date;
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
  const message = `${count} intake deliver${count === 1 ? 'y' : 'ies'} failed five times and wait in ${deps.poison.name}. Check the logs, fix the cause, then run: autotier intake replay`;
  await deps.notifier.notify({
    key: `poison-${hour}`,
    ticketId: '_intake',
    clientId: '_all',
    tier: 2,
    kind: 'intake_poison',
    message,
    at: deps.now.toISOString(),
  });
  return message;
}
