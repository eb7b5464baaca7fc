/** A change-notification subscription on the support mailbox. */
export interface GraphSubscription {
  id: string;
  expiresAt: string;
}

/** The shared support mailbox through Microsoft Graph: subscriptions and message MIME. */
export interface GraphMailbox {
  /** The message as raw MIME; undefined when it is gone (deleted or moved). */
  fetchMime(resource: string): Promise<Buffer | undefined>;
  subscribe(input: {
    notificationUrl: string;
    lifecycleNotificationUrl: string;
    clientState: string;
    expiresAt: Date;
  }): Promise<GraphSubscription>;
  /** The renewed subscription; undefined when Graph no longer has it. */
  renew(id: string, expiresAt: Date): Promise<GraphSubscription | undefined>;
}

/** The one subscription this deployment holds. */
export interface SubscriptionStore {
  get(): Promise<GraphSubscription | undefined>;
  put(subscription: GraphSubscription): Promise<void>;
}
