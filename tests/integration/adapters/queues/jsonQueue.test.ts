import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decode, JsonQueue } from '../../../../src/adapters/queues/jsonQueue';
import { blobService, freshQueue, uniqueName } from '../../../support/storage';

describe('JsonQueue on Azurite', () => {
  it('sends base64 JSON the Functions host can read, and receives and deletes it', async () => {
    const client = await freshQueue();
    const queue = new JsonQueue<{ ticketId: string; note: string }>(client);
    await queue.send({ ticketId: 'T-1', note: 'héllo' });
    const peeked = await client.peekMessages();
    const raw = peeked.peekedMessageItems[0]?.messageText ?? '';
    assert.equal(Buffer.from(raw, 'base64').toString('utf8'), '{"ticketId":"T-1","note":"héllo"}');

    const [message] = await queue.receive(1, 30);
    assert.deepEqual(message?.body, { ticketId: 'T-1', note: 'héllo' });
    assert.equal(message?.dequeueCount, 1);
    if (message) await queue.delete(message);
    assert.equal((await queue.receive(1, 1)).length, 0);
  });

  it('releases a message for another try after a back-off', async () => {
    const queue = new JsonQueue<{ n: number }>(await freshQueue());
    await queue.send({ n: 1 });
    const [first] = await queue.receive(1, 30);
    assert.ok(first);
    await queue.release(first, 0);
    const [second] = await queue.receive(1, 30);
    assert.equal(second?.dequeueCount, 2);
  });

  it('decodes plain JSON text too', () => {
    assert.deepEqual(decode('{"a":1}'), { a: 1 });
    assert.deepEqual(decode(Buffer.from('{"a":2}').toString('base64')), { a: 2 });
  });
});

describe('JsonQueue claim check', () => {
  it('puts a body too large for a message in Blob storage, hands it back whole, and removes the blob with the message', async () => {
    const container = blobService().getContainerClient(uniqueName('claims'));
    const queue = new JsonQueue<{ text: string }>(await freshQueue(), container);
    await queue.ensureQueue();
    const text = '印刷できません'.repeat(10_000);
    await queue.send({ text });
    const blobs = async () => {
      const names: string[] = [];
      for await (const b of container.listBlobsFlat()) names.push(b.name);
      return names;
    };
    assert.equal((await blobs()).length, 1);
    const [message] = await queue.receive(1, 30);
    assert.equal(message?.body.text, text);
    assert.ok(message?.claim);
    if (message) await queue.delete(message);
    assert.deepEqual(await blobs(), []);
  });

  it('says so when a large body has nowhere to go', async () => {
    const queue = new JsonQueue<{ text: string }>(await freshQueue());
    await assert.rejects(
      queue.send({ text: 'x'.repeat(60_000) }),
      /too large for queue .* no overflow container/,
    );
  });
});
