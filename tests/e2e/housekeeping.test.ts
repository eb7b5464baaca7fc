import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { orchestrationInstanceId } from '../../src/domain/ticket';
import { appUnderTest } from '../support/ticketApi';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('workflow housekeeping: failed workflows reach a person; old history is purged', () => {
  const app = appUnderTest();

  it('a workflow that failed raises one alert to tier 2 at the next hourly check', async () => {
    // A workflow for a ticket that does not exist: its first activity fails every retry.
    const res = await app.rt.post(
      `/runtime/webhooks/durabletask/orchestrators/ticketOrchestrator/${orchestrationInstanceId('T-999999')}`,
      { ticketId: 'T-999999', clientId: 'demo' },
    );
    assert.equal(res.status, 202);
    // Acknowledging sends mail, which retries for about 95 minutes (a throttle can last that long).
    await app.rt.runtime.advance(2 * HOUR);
    assert.equal(await app.api.runtimeStatus('T-999999'), 'Failed');
    await app.rt.runtime.advance(HOUR);
    const alerts = await app.api.notifications('T-999999');
    assert.equal(alerts.length, 1, JSON.stringify(alerts));
    assert.equal(alerts[0]?.kind, 'workflow_problem');
    assert.equal(alerts[0]?.tier, 2);
    assert.match(alerts[0]?.message ?? '', /The workflow of T-999999 failed/);
    await app.rt.runtime.advance(2 * HOUR);
    assert.equal((await app.api.notifications('T-999999')).length, 1, 'once per workflow');
  });

  it('the Durable history of a finished workflow goes after the retention; the ticket stays and a reply still follows up', async () => {
    const email = 'purged@demo.example';
    const id = await app.api.fixedMouse(email);
    await app.rt.runtime.advance(8 * DAY);
    assert.equal(await app.api.runtimeStatus(id), 'Completed');
    await app.rt.runtime.advance(21 * DAY);
    assert.equal(await app.api.runtimeStatus(id), 'Completed', 'kept for 30 days from its creation');
    await app.rt.runtime.advance(DAY + 2 * HOUR);
    assert.equal(await app.api.runtimeStatus(id), undefined, 'purged');
    const view = await app.api.view(id);
    assert.equal(view.stage, 'closed');
    assert.ok(view.timeline.length > 3, 'the timeline stays');
    const res = await app.api.event(id, { type: 'reply', from: email, text: 'It broke again' });
    assert.equal(res.status, 202);
    assert.match(((await res.json()) as { followUpTicketId: string }).followUpTicketId, /^T-\d+$/);
  });
});
