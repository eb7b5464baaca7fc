import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { BlobMailStore } from '../../../../src/adapters/blobs/blobMailStore';
import { purgeBlobsBefore } from '../../../../src/adapters/blobs/blobPurge';
import { TableReviewStore } from '../../../../src/adapters/tables/tableReviewStore';
import { blobService, freshTable, uniqueName } from '../../../support/storage';

const MINUTE = 60_000;

/** Raw copies go after the retention; what a ticket needs (its attachments) stays. */
describe('raw retention against Azurite', () => {
  it('raw mail goes once older than the cutoff; attachments stay', async () => {
    const container = blobService().getContainerClient(uniqueName('mail'));
    const store = new BlobMailStore(container);
    await store.ensureContainer();
    const raw = await store.putRaw(Buffer.from('From: a@b.example\r\n\r\nmy password is Summer2024!'));
    const attachment = await store.putAttachment('T-1', 'screen.png', 'image/png', Buffer.from('png'));

    assert.equal(await store.purgeBefore(new Date(Date.now() - 60 * MINUTE)), 0, 'nothing is old yet');
    assert.ok(await store.getRaw(raw));
    assert.equal(await store.purgeBefore(new Date(Date.now() + MINUTE)), 1);
    assert.equal(await store.getRaw(raw), undefined);
    assert.ok(await container.getBlockBlobClient(attachment).exists(), "the ticket's attachment stays");
    assert.equal(await store.purgeBefore(new Date(Date.now() + MINUTE)), 0, 'idempotent');
  });

  it('review entries go once older than the cutoff', async () => {
    const review = new TableReviewStore(await freshTable('review'));
    await review.keep({
      source: 'mail',
      reason: 'no client',
      raw: 'password: Hunter2$',
      receivedAt: '2026-01-01T00:00:00Z',
    });
    assert.equal(await review.purgeBefore(new Date(Date.now() - 60 * MINUTE)), 0);
    assert.equal((await review.list()).length, 1);
    assert.equal(await review.purgeBefore(new Date(Date.now() + MINUTE)), 1);
    assert.deepEqual(await review.list(), []);
  });

  it('claim-checked deliveries go once older than the cutoff; a missing container is no error', async () => {
    const container = blobService().getContainerClient(uniqueName('claims'));
    assert.equal(await purgeBlobsBefore(container, '', new Date()), 0);
    await container.createIfNotExists();
    await container.getBlockBlobClient('claim-1.json').uploadData(Buffer.from('{}'));
    assert.equal(await purgeBlobsBefore(container, '', new Date(Date.now() - 60 * MINUTE)), 0);
    assert.equal(await purgeBlobsBefore(container, '', new Date(Date.now() + MINUTE)), 1);
  });
});
