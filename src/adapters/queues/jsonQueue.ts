import { randomUUID } from 'node:crypto';

import type { ContainerClient } from '@azure/storage-blob';
import type { QueueClient } from '@azure/storage-queue';

import { type Claim, type ClaimStore, isClaim, MAX_INLINE_MESSAGE_CHARS } from '../../domain/claim';

export interface ReceivedMessage<T> {
  body: T;
  messageId: string;
  popReceipt: string;
  dequeueCount: number;
  /** The blob that held the body, when it was too large for the queue (claim check). */
  claim?: string;
}

export async function readClaim<T>(container: ContainerClient, claim: Claim): Promise<T | undefined> {
  const blob = container.getBlockBlobClient(claim.$claim);
  try {
    return JSON.parse((await blob.downloadToBuffer()).toString('utf8')) as T;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

export async function dropClaim(container: ContainerClient, claim: Claim): Promise<void> {
  await container.getBlockBlobClient(claim.$claim).deleteIfExists();
}

/** The claimed bodies of a queue whose consumer is a queue trigger (the host hands it the claim). */
export function blobClaimStore(container: ContainerClient): ClaimStore {
  return { read: (claim) => readClaim(container, claim), drop: (claim) => dropClaim(container, claim) };
}

/**
 * JSON messages on a Storage queue, base64-encoded as the Functions host expects for queue
 * triggers. With an overflow container, bodies too large for a message go to Blob storage and
 * the message carries a claim to them.
 */
export class JsonQueue<T> {
  constructor(
    readonly client: QueueClient,
    private readonly overflow?: ContainerClient,
  ) {}

  get name(): string {
    return this.client.name;
  }

  async ensureQueue(): Promise<void> {
    await Promise.all([this.client.createIfNotExists(), this.overflow?.createIfNotExists()]);
  }

  async send(body: T, options: { visibilityTimeoutSeconds?: number } = {}): Promise<string> {
    const json = JSON.stringify(body);
    let text = Buffer.from(json, 'utf8').toString('base64');
    if (text.length > MAX_INLINE_MESSAGE_CHARS) {
      if (!this.overflow)
        throw new Error(
          `a ${json.length}-character message is too large for queue ${this.name} and it has no overflow container`,
        );
      const name = `${this.name}/${randomUUID()}.json`;
      await this.overflow.getBlockBlobClient(name).uploadData(Buffer.from(json, 'utf8'), {
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      text = Buffer.from(JSON.stringify({ $claim: name } satisfies Claim), 'utf8').toString('base64');
    }
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
    const out: ReceivedMessage<T>[] = [];
    for (const m of res.receivedMessageItems) {
      const body = decode<unknown>(m.messageText);
      const meta = { messageId: m.messageId, popReceipt: m.popReceipt, dequeueCount: m.dequeueCount };
      if (!isClaim(body) || !this.overflow) {
        out.push({ body: body as T, ...meta });
        continue;
      }
      const claimed = await readClaim<T>(this.overflow, body);
      // A claim whose blob is gone was handled before; its message goes too.
      if (claimed === undefined) await this.client.deleteMessage(m.messageId, m.popReceipt);
      else out.push({ body: claimed, ...meta, claim: body.$claim });
    }
    return out;
  }

  async delete(message: Pick<ReceivedMessage<T>, 'messageId' | 'popReceipt' | 'claim'>): Promise<void> {
    await this.client.deleteMessage(message.messageId, message.popReceipt);
    if (message.claim && this.overflow) await dropClaim(this.overflow, { $claim: message.claim });
  }

  /** Keeps a message hidden for `seconds` more while it is being worked on (its pop receipt changes). */
  async extend(message: { messageId: string; popReceipt: string }, seconds: number): Promise<void> {
    const res = await this.client.updateMessage(message.messageId, message.popReceipt, undefined, seconds);
    if (res.popReceipt) message.popReceipt = res.popReceipt;
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
