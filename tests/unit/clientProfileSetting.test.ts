import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { applyClientProfile } from '../../src/clientProfileSetting';
import { DEMO_CLIENT } from '../../src/domain/client';
import { MemoryClients } from '../support/fakes';

describe('AUTOTIER_CLIENT_PROFILE (set by the Bicep)', () => {
  it('creates a profile with defaults, or updates the named fields of a stored one', async () => {
    const clients = new MemoryClients();
    await applyClientProfile(
      clients,
      JSON.stringify({
        clientId: 'acme',
        name: 'Acme',
        slaTier: 'premium',
        businessHours: { timeZone: 'America/New_York', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
      }),
    );
    const acme = await clients.get('acme');
    assert.equal(acme?.slaTier, 'premium');
    assert.equal(acme?.autoThreshold, 0.6);
    assert.equal(acme?.businessHours.timeZone, 'America/New_York');

    await applyClientProfile(clients, JSON.stringify({ clientId: 'demo', slaTier: 'basic' }));
    const demo = await clients.get('demo');
    assert.equal(demo?.slaTier, 'basic');
    assert.deepEqual(
      demo?.systemProfile,
      DEMO_CLIENT.systemProfile,
      'what the deployment does not name is kept',
    );
  });

  it('refuses bad JSON and a profile with no client id', async () => {
    await assert.rejects(applyClientProfile(new MemoryClients(), '{nope'), /not valid JSON/);
    await assert.rejects(applyClientProfile(new MemoryClients(), '{"name":"x"}'), /needs a clientId/);
  });
});
