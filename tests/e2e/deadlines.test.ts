import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { appUnderTest } from '../support/ticketApi';

/**
 * Tier time limits and SLA deadlines on the virtual clock. The demo client: standard SLA (1 h
 * response, 4 h resolution), business hours Mon-Fri 08:00-18:00 Europe/London (GMT in early March),
 * tier limits 30/60/120 minutes. The clock starts on Monday 2 March 2026 at 10:00.
 */
describe('tier time limits and SLA deadlines', () => {
  const app = appUnderTest();

  const kinds = async (id: string) => (await app.api.notifications(id)).map((n) => `${n.kind}@${n.tier}`);

  it('hands a ticket with no plan from tier 1 to 2 to 3, warns at 75% of the SLA and alerts on breach', async () => {
    const email = 'chain@demo.example';
    const id = await app.api.file(
      email,
      'VPN will not connect',
      'FortiClient says the gateway is unreachable',
    );
    await app.api.click(app.api.link((await app.api.mails(email))[1], 'no'));
    assert.equal((await app.api.view(id)).tier, 1);
    assert.equal((await app.api.view(id)).workflow?.nextDeadlineIs, 'tierLimit');

    await app.api.advanceTo('2026-03-02T10:29:59Z');
    assert.equal((await app.api.view(id)).tier, 1);
    await app.api.advanceTo('2026-03-02T10:30:00Z');
    assert.equal((await app.api.view(id)).tier, 2);
    assert.match((await app.api.mails(email)).at(-1)?.subject ?? '', /Update on your request/);
    await app.api.advanceTo('2026-03-02T11:30:00Z');
    assert.equal((await app.api.view(id)).tier, 3);
    assert.deepEqual(await kinds(id), ['escalation@1', 'tier_handoff@2', 'tier_handoff@3']);

    await app.api.advanceTo('2026-03-02T12:59:59Z');
    assert.equal((await app.api.view(id)).sla?.warned, false);
    await app.api.advanceTo('2026-03-02T13:00:00Z');
    assert.equal((await app.api.view(id)).sla?.warned, true);
    await app.api.advanceTo('2026-03-02T13:30:00Z');
    assert.ok((await kinds(id)).includes('tier_limit_passed@3'));
    await app.api.advanceTo('2026-03-02T14:00:00Z');
    const view = await app.api.view(id);
    assert.equal(view.sla?.breached, true);
    assert.equal(view.sla?.resolutionDue, '2026-03-02T14:00:00.000Z');
    assert.deepEqual((await kinds(id)).sort(), [
      'escalation@1',
      'sla_breach@3',
      'sla_warning@3',
      'tier_handoff@2',
      'tier_handoff@3',
      'tier_limit_passed@3',
    ]);
  });

  it('pauses the SLA clock while waiting on the requester', async () => {
    await app.api.advanceTo('2026-03-03T09:00:00Z');
    const email = 'paused@demo.example';
    const id = await app.api.file(
      email,
      'Locked out',
      'My account is locked after too many password attempts',
    );
    assert.equal((await app.api.view(id)).sla?.paused, true);
    await app.api.advanceTo('2026-03-03T12:00:00Z');
    await app.api.event(id, { type: 'reply', from: email, text: 'Still not working, sorry' });
    const view = await app.api.view(id);
    assert.equal(view.stage, 'escalated');
    assert.equal(view.sla?.paused, false);
    // Three hours with the requester did not count: four business hours remain from 12:00.
    assert.equal(view.sla?.resolutionDue, '2026-03-03T16:00:00.000Z');
  });

  it('a ticket filed on Friday evening is acknowledged at once; its deadlines fall in Monday business hours', async () => {
    await app.api.advanceTo('2026-03-06T19:00:00Z');
    const email = 'weekend@demo.example';
    const id = await app.api.file(
      email,
      // Dangerous but not P1 (a server down would be P1, on the 24x7 clock): tier 3 in business hours.
      'Backup failed',
      'The nightly backup failed again according to the report',
    );
    const [ack] = await app.api.mails(email);
    assert.match(ack?.subject ?? '', /We've got your request/);
    const view = await app.api.view(id);
    assert.equal(view.tier, 3);
    assert.equal(view.sla?.resolutionDue, '2026-03-09T12:00:00.000Z');
    assert.match((await app.api.mails(email)).at(-1)?.text ?? '', /by Monday 9 March at 12:00/);

    await app.api.advanceTo('2026-03-09T09:59:59Z');
    assert.deepEqual(await kinds(id), ['escalation@3'], 'nothing fires over the weekend');
    await app.api.advanceTo('2026-03-09T10:00:00Z');
    assert.ok((await kinds(id)).includes('tier_limit_passed@3'), 'the tier limit counts from Monday 08:00');
    await app.api.advanceTo('2026-03-09T11:00:00Z');
    assert.ok((await kinds(id)).includes('sla_warning@3'));
    await app.api.advanceTo('2026-03-09T12:00:00Z');
    assert.ok((await kinds(id)).includes('sla_breach@3'));
  });

  it('a plan stops the tier timer but not the SLA clock', async () => {
    await app.api.advanceTo('2026-03-10T10:00:00Z');
    const id = await app.api.file(
      'planned@demo.example',
      'Firewall',
      'The firewall keeps dropping connections for the whole office',
    );
    await app.api.advanceTo('2026-03-10T10:10:00Z');
    await app.api.event(id, { type: 'plan', tier: 3, by: 'Priya', note: 'Updating firmware at lunch' });
    await app.api.advanceTo('2026-03-10T13:30:00Z');
    const got = await kinds(id);
    assert.ok(!got.includes('tier_limit_passed@3'));
    assert.ok(got.includes('sla_warning@3'));
  });
});
