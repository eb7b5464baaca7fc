import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { appUnderTest } from '../support/ticketApi';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('P1 and security incidents run around the clock and page the on-call', () => {
  const app = appUnderTest();

  it('a ransomware report on Sunday night: 24x7 windows, paged at once, re-paged until a plan', async () => {
    await app.api.advanceTo('2026-03-08T23:00:00Z'); // Sunday, 23:00 in London
    const email = 'ransom@demo.example';
    const id = await app.api.file(
      email,
      'Files encrypted',
      'A ransomware note appeared and encrypted our files',
    );
    const view = await app.api.view(id);
    assert.equal(view.priority, 'P1');
    assert.equal(view.stage, 'escalated');
    const sla = view.sla as { resolutionDue?: string; aroundTheClock?: boolean } | null;
    assert.equal(sla?.aroundTheClock, true);
    assert.equal(sla?.resolutionDue, '2026-03-09T03:00:00.000Z', '240 minutes from 23:00, not Monday 12:00');
    const escalated = (await app.api.mails(email)).at(-1);
    assert.match(escalated?.text ?? '', /by Monday 9 March at 03:00/);

    const pages = async () => (await app.api.notifications(id)).filter((n) => n.kind === 'p1_page');
    assert.equal((await pages()).length, 1, 'the on-call is paged at once');
    await app.rt.runtime.advance(15 * MINUTE - 1000);
    assert.equal((await pages()).length, 1);
    await app.rt.runtime.advance(1000);
    assert.equal((await pages()).length, 2, 're-paged after 15 minutes');
    await app.rt.runtime.advance(15 * MINUTE);
    assert.equal((await pages()).length, 3);

    assert.equal(
      (await app.api.event(id, { type: 'plan', by: 'On-call Alex', note: 'Isolating the NAS' })).status,
      202,
    );
    await app.rt.runtime.advance(60 * MINUTE);
    assert.equal((await pages()).length, 3, 'a plan stops the pager');
    const warnings = (await app.api.notifications(id)).filter((n) => n.kind === 'sla_warning');
    assert.equal(warnings.length, 0, 'no warning yet at 01:30');
    await app.api.advanceTo('2026-03-09T02:00:00Z');
    assert.equal(
      (await app.api.notifications(id)).filter((n) => n.kind === 'sla_warning').length,
      1,
      'the 75% warning at 02:00 on Monday night, around the clock',
    );
  });

  it('the pager stops after maxPages', async () => {
    const id = await app.api.file(
      'outage@demo.example',
      'Nothing works',
      'Outage: nobody in the office can log in',
    );
    await app.rt.runtime.advance(4 * HOUR);
    const pages = (await app.api.notifications(id)).filter((n) => n.kind === 'p1_page');
    assert.equal(pages.length, 8, 'eight pages by default, then the tier chain and SLA alerts carry on');
  });
});
