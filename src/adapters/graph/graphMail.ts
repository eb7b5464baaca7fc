import { z } from 'zod';

import type { GraphMailbox, GraphSubscription } from '../../ports/graphMail';
import { RestApiError, type RestClient } from '../http/restClient';

export type { GraphSubscription };

/** What a mail change notification's `resource` looks like: one message of one mailbox. */
const MESSAGE_RESOURCE = /^\/?users\/[^/?#]+\/(mailfolders\/[^/?#]+\/)?messages\/[^/?#]+$/i;

const subscriptionSchema = z.object({ id: z.string(), expirationDateTime: z.string() });

/** The shared support mailbox through Microsoft Graph: change-notification subscriptions and message MIME. */
export class GraphMail implements GraphMailbox {
  constructor(
    private readonly http: RestClient,
    readonly mailbox: string,
  ) {}

  /**
   * The message as raw MIME (`/$value`); undefined when it is gone (deleted or moved). Only the
   * message id is taken from the notification: it is read from the configured support mailbox,
   * whatever mailbox the notification names, so a notification with the right client state still
   * cannot make autotier read another mailbox.
   */
  async fetchMime(resource: string): Promise<Buffer | undefined> {
    if (!MESSAGE_RESOURCE.test(resource)) throw new Error('not a mailbox message resource');
    const messageId = resource.split('/').pop() ?? '';
    try {
      return await this.http.bytes(
        'GET',
        `/users/${encodeURIComponent(this.mailbox)}/messages/${encodeURIComponent(messageId)}/$value`,
      );
    } catch (err) {
      if (err instanceof RestApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  async subscribe(input: {
    notificationUrl: string;
    lifecycleNotificationUrl: string;
    clientState: string;
    expiresAt: Date;
  }): Promise<GraphSubscription> {
    const s = subscriptionSchema.parse(
      await this.http.json('POST', '/subscriptions', {
        changeType: 'created',
        notificationUrl: input.notificationUrl,
        lifecycleNotificationUrl: input.lifecycleNotificationUrl,
        resource: `/users/${encodeURIComponent(this.mailbox)}/mailFolders('inbox')/messages`,
        expirationDateTime: input.expiresAt.toISOString(),
        clientState: input.clientState,
      }),
    );
    return { id: s.id, expiresAt: s.expirationDateTime };
  }

  /** Moves the expiry on; undefined when Graph no longer has the subscription. */
  async renew(id: string, expiresAt: Date): Promise<GraphSubscription | undefined> {
    try {
      const s = subscriptionSchema.parse(
        await this.http.json('PATCH', `/subscriptions/${encodeURIComponent(id)}`, {
          expirationDateTime: expiresAt.toISOString(),
        }),
      );
      return { id: s.id, expiresAt: s.expirationDateTime };
    } catch (err) {
      if (err instanceof RestApiError && err.status === 404) return undefined;
      throw err;
    }
  }
}
