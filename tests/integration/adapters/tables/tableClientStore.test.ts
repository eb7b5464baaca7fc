import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { TableClientStore } from '../../../../src/adapters/tables/tableClientStore';
import { DEMO_CLIENT } from '../../../../src/domain/client';
import { freshTable } from '../../../support/storage';

describe('TableClientStore on Azurite', () => {
  it('stores and reads client profiles', async () => {
    const clients = new TableClientStore(await freshTable('clients'));
    assert.equal(await clients.get('demo'), undefined);
    await clients.put(DEMO_CLIENT);
    assert.deepEqual(await clients.get('demo'), DEMO_CLIENT);
  });

  it('reads a profile once for as long as it may be kept, and sees its own writes at once', async () => {
    const table = await freshTable('clients');
    let reads = 0;
    table.pipeline.addPolicy({
      name: 'countReads',
      sendRequest: (request, next) => {
        if (request.method === 'GET') reads++;
        return next(request);
      },
    });
    let now = 0;
    const clients = new TableClientStore(table, { maxAgeMs: 5000, now: () => now });
    const elsewhere = new TableClientStore(table); // another instance, or the CLI
    assert.equal(await clients.get('demo'), undefined);
    await elsewhere.put(DEMO_CLIENT);
    assert.deepEqual(
      await clients.get('demo'),
      DEMO_CLIENT,
      'a client that had no profile is not kept as missing',
    );
    reads = 0;
    const many = await Promise.all(Array.from({ length: 8 }, () => clients.get('demo')));
    now = 4999;
    many.push(await clients.get('demo'));
    assert.equal(reads, 0);
    assert.ok(many.every((p) => p?.slaTier === DEMO_CLIENT.slaTier));
    many[0]!.slaTier = 'premium'; // a caller changing its copy changes no one else's
    assert.equal((await clients.get('demo'))?.slaTier, DEMO_CLIENT.slaTier);

    await elsewhere.put({ ...DEMO_CLIENT, autoThreshold: 0.9 });
    assert.equal(
      (await clients.get('demo'))?.autoThreshold,
      DEMO_CLIENT.autoThreshold,
      'kept until it is 5 s old',
    );
    now = 5000;
    assert.equal((await clients.get('demo'))?.autoThreshold, 0.9, 'read again once 5 s old');
    assert.equal(reads, 1);
    await clients.put({ ...DEMO_CLIENT, autoThreshold: 0.7 });
    assert.equal((await clients.get('demo'))?.autoThreshold, 0.7, 'its own write at once');
    assert.equal(reads, 1);
  });
});
