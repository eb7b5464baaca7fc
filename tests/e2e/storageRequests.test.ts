import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { diff, startStorageProxy, type StorageProxy } from '../../bench/storageProxy';
import { appUnderTest } from '../support/ticketApi';

/**
 * What one ticket's way to its guide (filed, acknowledged, classified, guide sent) costs in storage
 * requests, counted on the wire as `npm run bench` counts them. On Azurite every request takes a
 * turn of its single thread, so each read here that the app can do without is throughput lost.
 */
describe("one ticket's storage requests, filed until its guide is out", () => {
  let proxy: StorageProxy;
  before(async () => {
    proxy = await startStorageProxy();
    process.env.AzureWebJobsStorage = proxy.connectionString; // before the app starts (below)
  });
  after(() => proxy.close());
  const app = appUnderTest();

  it('reads the client profile at most once, and the ticket and its outcome summary only where nobody holds them', async () => {
    await app.api.file('first@demo.example', 'VPN drops every hour', 'FortiClient disconnects.');
    const before = proxy.snapshot();
    const ticketId = await app.api.file(
      'second@demo.example',
      'VPN drops every hour',
      'FortiClient disconnects.',
    );
    const counts = Object.fromEntries(
      Object.entries(diff(proxy.snapshot(), before)).map(([kind, n]) => [
        kind.replace(app.rt.tablePrefix, '').replace(app.rt.hub, 'durable:'),
        n,
      ]),
    );
    assert.equal((await app.api.view(ticketId)).stage, 'awaiting_confirmation', 'the guide is out');
    const of = (kind: string) => counts[kind] ?? 0;
    const shown = JSON.stringify(counts, null, 1);
    assert.ok(
      of('table Clients read') <= 1,
      `client profile read ${of('table Clients read')} times: ${shown}`,
    );
    // The number counter and one load in triage (its acknowledgement, classification and playbook
    // share it); every update writes with the ETag of the load or write before it.
    assert.ok(of('table Tickets read') <= 2, `ticket rows read ${of('table Tickets read')} times: ${shown}`);
    assert.ok(
      of('table Outcomes read') <= 1,
      `outcome summary read ${of('table Outcomes read')} times: ${shown}`,
    );
    // The articles: a partition at a time, and not again within seconds.
    assert.ok(of('table Kb query') <= 2, shown);
    // One activity (triage, which also sends the guide: the intake acknowledged the ticket), a
    // work item sent and deleted; two episodes (the start and the activity's result), each one
    // history batch. The instance's state: one read to start it (the engine's own check), one per
    // episode; the intake does not look it up before starting the workflow of a ticket it just
    // created. (Version 2, triage then runPlaybook: two activities, three episodes; version 1,
    // acknowledge, classify, runPlaybook: three and four.)
    assert.equal(of('queue durable:-workitems write'), 2, shown);
    assert.equal(of('table durable:History batch'), 2, shown);
    assert.ok(of('table durable:History read') <= 3, shown);
    // All of the app's own table requests (30 before these were counted here; 18 now).
    const appTables = Object.entries(counts)
      .filter(([kind]) => kind.startsWith('table ') && !kind.includes('durable:'))
      .reduce((sum, [, n]) => sum + n, 0);
    assert.ok(appTables <= 18, `${appTables} requests to the app's tables: ${shown}`);
  });
});
