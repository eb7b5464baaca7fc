import type { AlertChannel, Audience } from '../domain/alerts';
import type { Notification } from './notifier';

/** One alert on one channel: the unit that is delivered once and retried alone. */
export interface AlertDelivery {
  ticketId: string;
  /** The notification's key (unique per ticket and occasion). */
  notificationKey: string;
  channel: AlertChannel;
}

/** Which alert deliveries went out, so a redelivered queue message never posts a card twice. */
export interface AlertDeliveryLedger {
  delivered(delivery: AlertDelivery): Promise<boolean>;
  record(delivery: AlertDelivery, details: { audience: Audience; at: string }): Promise<void>;
}

export interface AlertDeliveryFailure extends AlertDelivery {
  audience: Audience;
  kind: string;
  /** The queue's dequeue count: 1 for the first try. */
  attempt: number;
  /** What went wrong, without the webhook URL. */
  error: string;
  at: string;
}

/** Where failed deliveries are kept for the operators (and marked when a later try got through). */
export interface AlertFailureLog {
  alertDeliveryFailed(failure: AlertDeliveryFailure): Promise<void>;
  alertDeliveryRecovered(delivery: AlertDelivery, details: { attempt: number; at: string }): Promise<void>;
}

/** A failed delivery as the operators see it; `recovered` once a later try got through. */
export interface AlertFailureRecord extends AlertDeliveryFailure {
  recovered?: { attempt: number; at: string };
}

/** The alerts a ticket raised and the deliveries of them that failed, for the ops page. */
export interface TicketAlertLog {
  alertsFor(ticketId: string): Promise<{ raised: Notification[]; failed: AlertFailureRecord[] }>;
}

/** Posts a message to a chat webhook; throws on anything but a 2xx answer in time. */
export interface ChatWebhook {
  post(url: string, message: unknown): Promise<void>;
}
