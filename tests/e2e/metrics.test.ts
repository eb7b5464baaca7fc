import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { run } from '../../src/cli/autotier';
import { DEMO_CLIENT } from '../../src/domain/client';
import type { ClientMetrics } from '../../src/domain/metrics';
import { seedClient } from '../support/runtime';
import { appUnderTest } from '../support/ticketApi';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 2 March 2026, 10:00 in London: where the test runtime's clock starts. */
const T0 = Date.parse('2026-03-02T10:00:00Z');
const CLIENT = 'metrics-dental';
const RANGE = 'from=2026-03-02&to=2026-04-01';

/**
 * Metrics against a scripted month of tickets with known outcomes, driven through the app on the
 * local runtime with the virtual clock: 10 tickets, 4 confirmed by the requester (1 of them
 * reopened), 2 closed after silence, 3 escalated and resolved by an engineer, 1 still open.
 */
describe('metrics: a scripted month of tickets with known outcomes', () => {
  const app = appUnderTest();
  const ids: string[] = [];
  const email = (n: number) => `t${n}@metrics.example`;
  const at = (minutes: number) => app.api.advanceTo(new Date(T0 + minutes * MINUTE).toISOString());
  const file = async (n: number, subject: string, body: string) => {
    const res = await app.rt.post('/api/tickets', {
      clientId: CLIENT,
      requester: { name: `Requester ${n}`, email: email(n) },
      subject,
      body,
    });
    assert.equal(res.status, 202);
    ids[n] = ((await res.json()) as { ticketId: string }).ticketId;
  };
  const id = (n: number) => ids[n] ?? '';
  const guideOf = async (n: number) => (await app.api.mails(email(n)))[1];
  const metrics = async (query = RANGE) => {
    const res = await app.rt.get(`/api/metrics?clientId=${CLIENT}&${query}`);
    assert.equal(res.status, 200);
    return (await res.json()) as ClientMetrics;
  };
  /** The closing mail's link for a score, as the requester sees it. */
  const rateLink = async (n: number, score: number) => {
    const closing = (await app.api.mails(email(n))).filter((m) => /\/rate\?score=/.test(m.text)).at(-1);
    const m = new RegExp(`(http\\S+/rate\\?score=${score}&token=\\S+)`).exec(closing?.text ?? '');
    assert.ok(m?.[1], `no rating link in the closing mail of ticket ${n}`);
    return m[1];
  };

  it('runs the month', async () => {
    await seedClient(app.rt.tablePrefix, {
      ...DEMO_CLIENT,
      clientId: CLIENT,
      name: 'Metrics Dental',
      emailDomains: ['metrics.example'],
    });
    // Monday 10:00: ten tickets arrive.
    for (const n of [1, 2, 3, 4]) await file(n, 'Mouse not working', 'My wireless mouse stopped working');
    for (const n of [5, 6]) await file(n, 'Printer offline', 'The reception printer shows offline');
    for (const n of [7, 8, 9]) await file(n, 'Shared drive slow', 'The file server share is very slow today');
    await file(10, 'VPN will not connect', 'FortiClient says the gateway is unreachable');
    await app.rt.runtime.drain();
    for (const n of [7, 8, 9]) assert.equal((await app.api.view(id(n))).stage, 'escalated');
    assert.equal((await app.api.click(app.api.link(await guideOf(10), 'no'))).status, 200);
    assert.equal((await app.api.view(id(10))).stage, 'escalated');

    // 10:20: two requesters confirm; engineers answer two of the escalated tickets in public.
    await at(20);
    for (const n of [1, 2]) await app.api.click(app.api.link(await guideOf(n), 'yes'));
    for (const n of [7, 8])
      assert.equal(
        (
          await app.api.event(id(n), {
            type: 'plan',
            by: 'Priya',
            note: 'internal: check the NAS',
            publicNote: 'We are looking at the file server now.',
          })
        ).status,
        202,
      );
    // 10:40: two more confirm.
    await at(40);
    for (const n of [3, 4]) await app.api.click(app.api.link(await guideOf(n), 'yes'));
    // 11:00: two fixed; 11:10: the third gets its first public reply, after the 60-minute window.
    await at(60);
    for (const n of [7, 8])
      await app.api.event(id(n), { type: 'resolved', by: 'Priya', note: 'moved the share' });
    await at(70);
    await app.api.event(id(9), {
      type: 'plan',
      by: 'Sam',
      note: 'internal',
      publicNote: 'Looking into it now.',
    });
    await at(80);
    await app.api.event(id(9), { type: 'resolved', by: 'Sam', note: 'replaced a disk' });

    // Tuesday 10:00: ticket 4 is back; an engineer fixes it 20 minutes later.
    await at(DAY / MINUTE);
    assert.equal(
      (await app.api.event(id(4), { type: 'reply', from: email(4), text: 'It stopped working again' }))
        .status,
      202,
    );
    assert.equal((await app.api.view(id(4))).stage, 'escalated');
    await at(DAY / MINUTE + 20);
    await app.api.event(id(4), { type: 'resolved', by: 'Priya', note: 'replaced the receiver' });

    // Wednesday: 5 and 6 never answered: a reminder, then closed after silence.
    await at((2 * DAY) / MINUTE + 1);
    for (const n of [5, 6]) assert.equal((await app.api.view(id(n))).stage, 'closed');

    // Ratings from the closing mails: 5, 4, and 2 with a comment.
    await app.api.click(await rateLink(1, 5));
    await app.api.click(await rateLink(2, 4));
    const page = await fetch(await rateLink(7, 3), { headers: { accept: 'text/html' } });
    assert.match(await page.text(), /<input type="radio" name="score" value="3" checked required>/);
    const rated = await fetch(await rateLink(7, 3), {
      method: 'POST',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'score=2&comment=It+took+a+while.',
    });
    assert.match(await rated.text(), /<h1>Thank you!<\/h1>/);

    // The month runs out: every reopen window closes.
    await at((30 * DAY) / MINUTE);
    assert.equal((await app.api.view(id(1))).stage, 'closed', 'the reopen window passed');
    assert.equal((await app.api.view(id(10))).stage, 'escalated', 'ticket 10 is still open');
  });

  it('deflection: 3 of 10 verified; confirmed, unconfirmed and reopened counted apart', async () => {
    const m = await metrics();
    assert.equal(m.clientId, CLIENT);
    assert.equal(m.from, '2026-03-02T00:00:00.000Z');
    assert.equal(m.to, '2026-04-01T00:00:00.000Z');
    assert.equal(m.tickets, 10);
    assert.deepEqual(m.deflection, {
      verified: 0.3,
      verifiedCount: 3,
      confirmed: 4,
      unconfirmed: 2,
      reopened: 1,
      awaitingReopenWindow: 0,
    });
    assert.equal(m.reopenRate, 0.1);
    assert.deepEqual(m.resolvedBy, { requester: 3, engineer: 4, silence: 2 });
    assert.equal(m.open, 1);
    assert.equal(m.escalated, 5);
    assert.equal(m.selfServiceDeflections, 0);
    assert.deepEqual(m.byCategory, {
      printer_peripheral: { tickets: 6, deflected: 3, confirmed: 4, unconfirmed: 2, escalated: 1 },
      engineering: { tickets: 3, deflected: 0, confirmed: 0, unconfirmed: 0, escalated: 3 },
      vpn_remote_access: { tickets: 1, deflected: 0, confirmed: 0, unconfirmed: 0, escalated: 1 },
    });
  });

  it('times: first response is the guide or a person’s public reply, not the acknowledgement', async () => {
    const m = await metrics();
    assert.deepEqual(m.acknowledgementMs, { p50: 0, p95: 0 });
    // Seven guides at once; public replies after 20, 20 and 70 minutes.
    assert.deepEqual(m.firstResponseMs, { p50: 0, p95: 70 * MINUTE });
    // 20, 20, 40, 60, 60, 80 minutes, 1 day 20 minutes (after the reopen), 48 h twice; ticket 10 is open.
    assert.deepEqual(m.resolutionMs, { p50: 60 * MINUTE, p95: 48 * HOUR });
    // Monday 10:00 to Wednesday 10:00 is 20 working hours.
    assert.deepEqual(m.resolutionBusinessMs, { p50: 60 * MINUTE, p95: 20 * HOUR });
    assert.deepEqual(m.firstResponseBusinessMs, { p50: 0, p95: 70 * MINUTE });
    // Escalated -> resolved: 20 minutes (the reopen), 60, 60 and 80.
    assert.deepEqual(m.escalationHandleMs, { p50: 60 * MINUTE, p95: 80 * MINUTE });
    // Ticket 9 first heard from a person after 70 minutes; ticket 10 passed its resolution deadline.
    assert.deepEqual(m.slaBreaches, { response: 1, resolution: 1 });
  });

  it('interruptions: escalations, hand-offs, SLA alerts and the reopen, per working day and tier', async () => {
    const m = await metrics();
    // Escalations of 7, 8, 9 (tier 3) and 10 (tier 1); 10 handed up to tier 2 and 3, warned,
    // out of tiers and breached; 4 reopened and escalated again.
    assert.equal(m.engineerInterruptions, 11);
    assert.deepEqual(m.byTier, {
      1: { interruptions: 3, interruptionsPerDay: 0.14 },
      2: { interruptions: 1, interruptionsPerDay: 0.05 },
      3: { interruptions: 7, interruptionsPerDay: 0.32 },
      oncall: { interruptions: 0, interruptionsPerDay: 0 },
    });
    // March 2 to 31 has 22 working days.
    assert.equal(m.engineerInterruptionsPerDay, 0.5);
  });

  it('satisfaction: one rating per link, the average of the responses', async () => {
    const m = await metrics();
    assert.deepEqual(m.csat, { responses: 3, average: 3.67, scores: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 } });
    const again = await app.api.click(await rateLink(1, 1));
    assert.match(again.page, /already have your rating/);
    assert.deepEqual((await metrics()).csat.scores, m.csat.scores, 'a link rates once');
    assert.ok(
      (await app.api.view(id(7))).timeline.some(
        (e) => e.note === 'The requester rated the support 2 out of 5: "It took a while."',
      ),
    );
  });

  it('rating links refuse a forged token and a score out of range with 400, and record nothing', async () => {
    const good = await rateLink(8, 4);
    const forged = good.replace(/token=[^&]+/, 'token=abc.def');
    const outOfRange = good.replace('score=4', 'score=7');
    for (const url of [forged, outOfRange]) {
      const json = await fetch(url, { method: 'POST', headers: { accept: 'application/json' } });
      assert.equal(json.status, 400);
      assert.match(((await json.json()) as { error: string }).error, /^(token|score):/);
      const page = await fetch(url, { headers: { accept: 'text/html' } });
      assert.equal(page.status, 400);
      assert.match(await page.text(), /That link does not work/);
    }
    assert.equal((await metrics()).csat.responses, 3);
  });

  it('weekly figures, and the last 30 days by the app clock when no range is given', async () => {
    const m = await metrics();
    assert.deepEqual(
      m.weekly.map((w) => [w.week, w.tickets, w.verifiedDeflection, w.engineerInterruptions]),
      [
        ['2026-03-02', 10, 0.3, 11],
        ['2026-03-09', 0, 0, 0],
        ['2026-03-16', 0, 0, 0],
        ['2026-03-23', 0, 0, 0],
        ['2026-03-30', 0, 0, 0],
      ],
    );
    assert.deepEqual(m.weekly[0]?.endings, {
      deflected: 3,
      engineer: 5,
      no_answer: 2,
      awaiting_window: 0,
      open: 0,
    });
    // The clock reads Wednesday 1 April 10:00: the default range starts Monday 2 March 10:00.
    const byDefault = await metrics('');
    assert.equal(byDefault.from, '2026-03-02T10:00:00.000Z');
    assert.equal(byDefault.tickets, 10, 'tickets received at the very start are in (from is inclusive)');
    assert.equal((await metrics('from=2026-03-02T10:00:01Z&to=2026-04-01')).tickets, 0);
  });

  it('bad input: 400 names the field; an unknown client is 404', async () => {
    const error = async (query: string) => {
      const res = await app.rt.get(`/api/metrics?${query}`);
      return [res.status, ((await res.json()) as { error: string }).error];
    };
    assert.deepEqual(await error(RANGE), [400, 'clientId: required']);
    assert.deepEqual(await error(`clientId=ghost&${RANGE}`), [404, 'clientId: no client "ghost"']);
    const [status, from] = await error(`clientId=${CLIENT}&from=last%20week`);
    assert.equal(status, 400);
    assert.match(String(from), /^from: must be an ISO 8601 date or time/);
    assert.match(String((await error(`clientId=${CLIENT}&to=2026-02-30`))[1]), /^to: must be an ISO 8601/);
    assert.deepEqual(await error(`clientId=${CLIENT}&from=2026-04-01&to=2026-03-01`), [
      400,
      'to: must be after from',
    ]);
    for (const hostile of ['%3Cscript%3E', "'%20or%201%20eq%201", 'x'.repeat(300), '%E2%80%AE']) {
      const res = await app.rt.get(`/api/metrics?clientId=${hostile}&from=${hostile}`);
      assert.ok(res.status === 400 || res.status === 404, `${hostile}: ${res.status}`);
      assert.equal(typeof ((await res.json()) as { error: unknown }).error, 'string');
    }
  });

  it('autotier report writes the same figures as JSON, CSV (a row per week and category) and one HTML file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'autotier-report-'));
    const report = async (format: string) => {
      const out = path.join(dir, `report.${format}`);
      const code = await run([
        'report',
        '--client',
        CLIENT,
        '--from',
        '2026-03-02',
        '--to',
        '2026-04-01',
        '--format',
        format,
        '--out',
        out,
      ]);
      assert.equal(code, 0);
      return readFileSync(out, 'utf8');
    };
    assert.deepEqual(JSON.parse(await report('json')), await metrics());

    const csv = (await report('csv')).trimEnd().split('\r\n');
    assert.equal(
      csv[0],
      'week,category,tickets,verified_deflections,verified_deflection_rate,confirmed,unconfirmed,escalated,reopened,first_response_p50_minutes,resolution_p50_minutes,engineer_interruptions,csat_responses,csat_average',
    );
    assert.equal(csv.length, 1 + 5 * 4, 'five weeks, each with its total and three categories');
    assert.ok(csv.includes('2026-03-02,all,10,3,0.3,4,2,5,1,0,60,11,3,3.67'));
    assert.ok(csv.includes('2026-03-02,printer_peripheral,6,3,0.5,4,2,1,,,,,,'));
    assert.ok(csv.includes('2026-03-09,engineering,0,0,0,0,0,0,,,,,,'));

    const html = await report('html');
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<h1>Support outcomes: Metrics Dental<\/h1>/);
    assert.equal((html.match(/<svg /g) ?? []).length, 4, 'four charts, drawn in the file itself');
    assert.match(
      html,
      /<b>30%<\/b><span>resolved by automation and confirmed by the requester \(3 of 10\)<\/span>/,
    );
    assert.doesNotMatch(
      html,
      /<script|<link|<img|src=|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/,
      'nothing from elsewhere',
    );

    await assert.rejects(
      run(['report', '--client', 'ghost', '--format', 'csv']),
      /--client: no client "ghost"/,
    );
    await assert.rejects(
      run(['report', '--client', CLIENT, '--format', 'pdf']),
      /--format must be json, csv or html/,
    );
    await assert.rejects(run(['report', '--client', CLIENT, '--from', 'May']), /--from: must be an ISO 8601/);
  });

  it('a P1 paged every 15 minutes for two hours counts one interruption per 30 minutes', async () => {
    await seedClient(app.rt.tablePrefix, { ...DEMO_CLIENT, clientId: 'p1-dental', name: 'P1 Dental' });
    const res = await app.rt.post('/api/tickets', {
      clientId: 'p1-dental',
      requester: { email: 'ransom@p1.example' },
      subject: 'Files encrypted',
      body: 'A ransomware note appeared and encrypted our files',
    });
    const { ticketId } = (await res.json()) as { ticketId: string };
    await app.rt.runtime.drain();
    await app.rt.runtime.advance(2 * HOUR);
    const pages = (await app.api.notifications(ticketId)).filter((n) => n.kind === 'p1_page');
    assert.equal(pages.length, 8);
    const m = (await (await app.rt.get('/api/metrics?clientId=p1-dental')).json()) as ClientMetrics;
    assert.equal(m.byTier.oncall?.interruptions, 4, 'pages at 0, 30, 60 and 90 minutes count');
  });
});
