import { openStorage } from '../composition/storage';
import { poisonQueueName } from '../names';

/**
 * Moves messages from the intake poison queue back onto the intake queue, unchanged, after the
 * cause was fixed. Each is sent before it is deleted: a stop in between repeats a delivery, and
 * intake is idempotent, so nothing is lost or doubled.
 */
export async function replayPoison(options: { queue?: string; max?: number } = {}): Promise<number> {
  const storage = openStorage();
  const target = storage.queue(options.queue ?? storage.config.intakeQueue);
  const poison = storage.queue(poisonQueueName(target.name));
  if (!(await poison.exists())) return 0;
  await target.createIfNotExists();
  const max = options.max ?? Number.POSITIVE_INFINITY;
  let moved = 0;
  while (moved < max) {
    const batch = await poison.receiveMessages({
      numberOfMessages: Math.min(32, max - moved),
      visibilityTimeout: 60,
    });
    if (batch.receivedMessageItems.length === 0) break;
    for (const m of batch.receivedMessageItems) {
      await target.sendMessage(m.messageText, { messageTimeToLive: -1 });
      await poison.deleteMessage(m.messageId, m.popReceipt);
      moved++;
    }
  }
  return moved;
}
