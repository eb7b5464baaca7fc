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
});
