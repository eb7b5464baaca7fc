import type { QueueClient } from '@azure/storage-queue';

export interface ReceivedMessage<T> {
  body: T;
  messageId: string;
  popReceipt: string;
  dequeueCount: number;
}

/**
 * JSON messages on a Storage queue, base64-encoded as the Functions host expects for queue triggers.
 */
export class JsonQueue<T> {
  constructor(readonly client: QueueClient) {}

  get name(): string {
    return this.client.name;
  }

  async ensureQueue(): Promise<void> {
    await this.client.createIfNotExists();
  }

  async send(body: T, options: { visibilityTimeoutSeconds?: number } = {}): Promise<string> {
    const text = Buffer.from(JSON.stringify(body), 'utf8').toString('base64');
    const res = await this.client.sendMessage(text, {
      visibilityTimeout: options.visibilityTimeoutSeconds,
      messageTimeToLive: -1,
    });
    return res.messageId;
  }

  async receive(max: number, visibilityTimeoutSeconds: number): Promise<ReceivedMessage<T>[]> {
    const res = await this.client.receiveMessages({
      numberOfMessages: max,
      visibilityTimeout: visibilityTimeoutSeconds,
    });
    return res.receivedMessageItems.map((m) => ({
      body: decode<T>(m.messageText),
      messageId: m.messageId,
      popReceipt: m.popReceipt,
      dequeueCount: m.dequeueCount,
    }));
  }

  async delete(message: Pick<ReceivedMessage<T>, 'messageId' | 'popReceipt'>): Promise<void> {
    await this.client.deleteMessage(message.messageId, message.popReceipt);
  }

  /** Makes a message visible again after `seconds` (a failed attempt's back-off). */
  async release(
    message: Pick<ReceivedMessage<T>, 'messageId' | 'popReceipt'>,
    seconds: number,
  ): Promise<void> {
    await this.client.updateMessage(message.messageId, message.popReceipt, undefined, seconds);
  }
}

/** Accepts base64 (what the host writes) and, like the host, plain JSON text. */
export function decode<T>(text: string): T {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return JSON.parse(trimmed) as T;
  return JSON.parse(Buffer.from(trimmed, 'base64').toString('utf8')) as T;
}
