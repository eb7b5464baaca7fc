import type { GraphMailbox, GraphSubscription, SubscriptionStore } from '../ports/graphMail';

/** Graph lets a mail subscription live up to 10,080 minutes; autotier asks for 4 days and renews with 2 left. */
export const SUBSCRIPTION_LIFETIME_MS = 4 * 24 * 60 * 60 * 1000;
export const RENEW_BEFORE_MS = 2 * 24 * 60 * 60 * 1000;

export interface SubscriptionDeps {
  graph: GraphMailbox;
  store: SubscriptionStore;
  publicBaseUrl: string;
  clientState: string;
  now: () => Date;
}

/** What keeping the subscription needs, when Graph mail intake is configured (else undefined). */
export function subscriptionDeps(s: {
  graphMail?: GraphMailbox;
  graphSubscriptions?: SubscriptionStore;
  publicBaseUrl: string;
  config: { graphClientStates: string[] };
  now: () => Date;
}): SubscriptionDeps | undefined {
  const clientState = s.config.graphClientStates[0];
  if (!s.graphMail || !s.graphSubscriptions || !clientState) return undefined;
  return {
    graph: s.graphMail,
    store: s.graphSubscriptions,
    publicBaseUrl: s.publicBaseUrl,
    clientState,
    now: s.now,
  };
}

/**
 * Keeps the support mailbox's subscription alive: creates it when there is none, renews it when it
 * is close to expiry (or when `force`, as a lifecycle notification asks), and creates a new one
 * when Graph has dropped it.
 */
export async function keepSubscription(
  deps: SubscriptionDeps,
  force = false,
): Promise<{ action: 'kept' | 'renewed' | 'created'; subscription: GraphSubscription }> {
  const now = deps.now().getTime();
  const expiresAt = new Date(now + SUBSCRIPTION_LIFETIME_MS);
  const current = await deps.store.get();
  if (current && !force && Date.parse(current.expiresAt) - now > RENEW_BEFORE_MS)
    return { action: 'kept', subscription: current };
  if (current && Date.parse(current.expiresAt) > now) {
    const renewed = await deps.graph.renew(current.id, expiresAt);
    if (renewed) {
      await deps.store.put(renewed);
      return { action: 'renewed', subscription: renewed };
    }
  }
  const created = await deps.graph.subscribe({
    notificationUrl: `${deps.publicBaseUrl}/api/mail/graph`,
    lifecycleNotificationUrl: `${deps.publicBaseUrl}/api/mail/graph/lifecycle`,
    clientState: deps.clientState,
    expiresAt,
  });
  await deps.store.put(created);
  return { action: 'created', subscription: created };
}
