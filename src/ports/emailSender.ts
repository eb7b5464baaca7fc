import type { MailMessage } from '../domain/messages';

export interface OutgoingMail extends MailMessage {
  /** Stable per logical mail (ticket id + step): the same key never sends twice. */
  idempotencyKey: string;
}

export interface SendResult {
  messageId: string;
  duplicate: boolean;
}

export interface EmailSender {
  send(mail: OutgoingMail): Promise<SendResult>;
}

export interface SentMail extends Omit<MailMessage, 'images'> {
  sentAt: string;
  /** Where "just reply to this mail" goes: the support mailbox the intake reads. */
  replyTo?: string;
  /** The names of the pictures the mail carried inline. */
  imageNames?: string[];
}

/** Local runs only: what the app would have sent. */
export interface Outbox {
  list(to: string): Promise<SentMail[]>;
}

/** Which mails went out through ACS or Graph, and what the delivery reports said of them. */
export interface DeliveryLedger {
  /** The mail's key for a send's operation id; undefined for a mail autotier did not send. */
  keyOf(operationId: string): Promise<string | undefined>;
  delivered(key: string, status: string, detail: string): Promise<void>;
}
