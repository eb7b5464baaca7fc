import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { TableEventLog } from '../../src/adapters/tables/tableEventLog';
import { table } from '../support/storage';
import { appUnderTest } from '../support/ticketApi';

const HOUR = 60 * 60 * 1000;
const HOSTILE_SUBJECT = `<script>alert("pwned")</script> & <b onmouseover='x'>printer</b>`;

/** The ticket ids a list page shows, in its order. */
const listed = (html: string) => [...html.matchAll(/data-ticket-id="(T-\d+)"/g)].map((m) => m[1]);
/** One row of the list, as HTML. */
const rowOf = (html: string, ticketId: string) =>
  new RegExp(`<tr[^>]*data-ticket-id="${ticketId}".*?</tr>`).exec(html)?.[0] ?? '';

describe('the ops page: GET /api/ops and /api/ops/tickets/{id} on the local runtime', () => {
  before(() => {
    process.env.AUTOTIER_MAIL_INTAKE_SECRETS = 'inbound:mail-secret-1';
  });
  const app = appUnderTest();
  const page = async (path: string, accept = 'text/html') => {
    const res = await fetch(`${app.rt.runtime.url}${path}`, { headers: { accept } });
    return { status: res.status, headers: res.headers, html: await res.text() };
  };
  const ids: { mouse: string; outage: string; hostile: string } = { mouse: '', outage: '', hostile: '' };

  before(async () => {
    ids.mouse = await app.api.file(
      'ops-mouse@demo.example',
      'Mouse not working',
      'My wireless mouse stopped working',
    );
    ids.outage = await app.api.file(
      'ops-outage@demo.example',
      'File server down',
      'The file server is down and nobody can open the shared drive',
    );
    // A subject the API refuses (HTML) still arrives by mail, which cannot be refused.
    const mime = [
      'From: "Mal Lory" <mal@demo.example>',
      'To: support@msp.example',
      `Subject: ${HOSTILE_SUBJECT}`,
      'Date: Mon, 02 Mar 2026 10:00:00 +0000',
      'Message-ID: <ops-hostile@demo.example>',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The printer <img src=x onerror=alert(1)> is offline.',
    ].join('\r\n');
    const res = await fetch(`${app.rt.runtime.url}/api/mail/inbound`, {
      method: 'POST',
      headers: {
        'content-type': 'message/rfc822',
        authorization: `Basic ${Buffer.from('inbound:mail-secret-1').toString('base64')}`,
      },
      body: mime,
    });
    assert.equal(res.status, 202);
    await app.rt.runtime.drain();
    const ack = (await app.api.mails('mal@demo.example'))[0];
    ids.hostile = /\[#(T-\d+)\]/.exec(ack?.subject ?? '')?.[1] ?? '';
    assert.ok(ids.hostile, 'the mailed ticket was filed');
  });

  it('lists the filed tickets with stage, next deadline and what it is; no key is needed locally', async () => {
    const { status, headers, html } = await page('/api/ops');
    assert.equal(status, 200);
    assert.match(headers.get('content-type') ?? '', /^text\/html/);
    assert.deepEqual(listed(html), [ids.hostile, ids.outage, ids.mouse], 'newest first');
    const mouse = rowOf(html, ids.mouse);
    assert.match(mouse, /href="ops\/tickets\/T-\d+"/);
    assert.match(mouse, /awaiting confirmation/);
    assert.match(mouse, /<time datetime="2026-03-03T10:00:\d\d\.\d{3}Z">/, 'the reminder a day later');
    assert.match(mouse, /remind the requester/);
    assert.match(mouse, /Running/);
    const outage = rowOf(html, ids.outage);
    assert.match(outage, /escalated/);
    assert.match(outage, /engineering/);
    assert.match(outage, /<td>3<\/td>/, 'tier 3');
    assert.match(outage, /tier time limit|page the on-call again|SLA/);
  });

  it('sends a strict Content-Security-Policy and escapes what people typed', async () => {
    const { headers, html } = await page('/api/ops');
    const csp = headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.equal(headers.get('x-frame-options'), 'DENY');
    assert.equal(headers.get('referrer-policy'), 'no-referrer');
    assert.equal((html.match(/<script>/g) ?? []).length, 1, 'only the page’s own script');
    assert.doesNotMatch(html, /<b onmouseover|alert\("pwned"\)<\/script>/);
    assert.match(
      html,
      /&#60;script&#62;alert\(&#34;pwned&#34;\)&#60;\/script&#62; &#38; &#60;b onmouseover=&#39;x&#39;&#62;/,
    );
    const ticket = await page(`/api/ops/tickets/${ids.hostile}`);
    assert.equal(ticket.status, 200);
    assert.doesNotMatch(ticket.html, /<script|<img src=x/);
    assert.match(ticket.html, /&#60;img src=x onerror=alert\(1\)&#62;/);
  });

  it('filters by stage and client, pages on, and refuses bad filter values with 400', async () => {
    assert.deepEqual(listed((await page('/api/ops?stage=escalated')).html), [ids.outage]);
    assert.deepEqual(listed((await page('/api/ops?stage=&client=demo')).html), [
      ids.hostile,
      ids.outage,
      ids.mouse,
    ]);
    const first = await page('/api/ops?client=demo&limit=1');
    assert.deepEqual(listed(first.html), [ids.hostile]);
    const older = /href="(ops\?client=demo&#38;before=T-\d+&#38;limit=1)"/.exec(first.html)?.[1];
    assert.ok(older, 'an older-tickets link');
    const second = await page(`/api/${older.replace(/&#38;/g, '&')}`);
    assert.deepEqual(listed(second.html), [ids.outage]);
    assert.doesNotMatch(first.html, /ops-mouse@|ops-outage@|mal@demo/, 'no requester data in the list');

    for (const [query, field] of [
      ['stage=bogus', /^stage: must be one of/],
      ['overdue=maybe', /^overdue:/],
      ['failed=2', /^failed:/],
      ['limit=0', /^limit:/],
      ['limit=abc', /^limit:/],
      ['before=1234', /^before:/],
      ['client=Not%20A%20Client', /^client:/],
      ['colour=red', /^unknown filter: colour/],
      ['stage=closed&stage=escalated', /^stage: give it once/],
    ] as const) {
      const res = await page(`/api/ops?${query}`, 'application/json');
      assert.equal(res.status, 400, query);
      assert.match((JSON.parse(res.html) as { error: string }).error, field, query);
    }
    const html = await page('/api/ops?stage=%3Cscript%3E');
    assert.equal(html.status, 400);
    assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
    assert.doesNotMatch(html.html, /<script>[^(]/, 'the bad value is not echoed as markup');
    assert.equal((await page('/api/ops?client=nobody', 'application/json')).status, 404);
  });

  it('a ticket page shows the fields, timeline, Durable status and history, escalation package and alerts', async () => {
    await new TableEventLog(table(`${app.rt.tablePrefix}Events`)).alertDeliveryFailed({
      ticketId: ids.outage,
      notificationKey: 'escalated-3',
      channel: 'webhook',
      audience: 'tier3',
      kind: 'escalation',
      attempt: 2,
      error: 'the Workflows webhook answered 502',
      at: '2026-03-02T10:01:00.000Z',
    });
    const { status, headers, html } = await page(`/api/ops/tickets/${ids.outage}`);
    assert.equal(status, 200);
    assert.match(headers.get('content-security-policy') ?? '', /script-src 'none'/);
    assert.match(html, new RegExp(`<h1>${ids.outage}: File server down</h1>`));
    assert.match(html, /ops-outage@demo\.example/, 'the requester, in the page (never in a URL)');
    assert.match(html, /<h2 id="timeline-h">Timeline<\/h2>.*acknowledged.*classified/s);
    assert.match(html, /Runtime status<\/dt><dd><span class="badge Running">Running/);
    assert.match(html, new RegExp(`ticket-${ids.outage}`));
    assert.match(html, /<td>ExecutionStarted<\/td><td>ticketOrchestrator<\/td>/);
    assert.match(html, /<td>TaskCompleted<\/td><td>triageTicket<\/td>/);
    assert.match(html, /<td>TimerCreated<\/td>/);
    assert.match(
      html,
      /<h2 id="escalation-h">Escalation package<\/h2>.*Suggested steps.*Similar solved tickets.*Conversation in the package/s,
    );
    assert.match(html, /the Workflows webhook answered 502/);
    assert.match(html, /Not resolved yet/);
    assert.equal((await page('/api/ops/tickets/T-999999')).status, 404);
    assert.equal((await page('/api/ops/tickets/nope', 'application/json')).status, 400);
  });

  it('shows who resolved a ticket', async () => {
    await app.api.click(app.api.link((await app.api.mails('ops-mouse@demo.example'))[1], 'yes'));
    const { html } = await page(`/api/ops/tickets/${ids.mouse}`);
    assert.match(
      html,
      /<h2 id="resolution-h">Resolution<\/h2><dl class="facts"><dt>By<\/dt><dd>requester<\/dd>/,
    );
    assert.match(html, /<td>EventRaised<\/td><td>ticketEvent<\/td>/, 'the answer in the history');
    assert.doesNotMatch(html, /"answer":"yes"/, 'event payloads are not shown');
  });

  it('failed: a workflow that failed, with what failed', async () => {
    // A ticket whose workflow was started without its input: the orchestrator fails at once.
    const failedId = await app.api.failedWorkflow('Outlook keeps crashing', 'ops-failed@demo.example');
    assert.equal(await app.api.runtimeStatus(failedId), 'Failed');
    const failed = await page('/api/ops?failed=1');
    assert.deepEqual(listed(failed.html), [failedId]);
    assert.match(rowOf(failed.html, failedId), /class="is-failed".*Outlook keeps crashing.*Failed/);
    const all = await page('/api/ops');
    assert.match(rowOf(all.html, failedId), /badge Failed/);
    const detail = await page(`/api/ops/tickets/${failedId}`);
    assert.match(detail.html, /<dt>What failed<\/dt><dd><div class="text">[^<]+/);
    assert.match(detail.html, /<td>ExecutionFailed<\/td>/);
  });

  it('overdue: a live workflow whose next deadline passed (here: suspended, so it cannot wake)', async () => {
    assert.deepEqual(listed((await page('/api/ops?overdue=1')).html), [], 'nothing is late yet');
    await app.api.suspend(ids.outage);
    await app.rt.runtime.advance(4 * HOUR);
    const overdue = await page('/api/ops?overdue=on');
    assert.deepEqual(listed(overdue.html), [ids.outage]);
    assert.match(
      rowOf(overdue.html, ids.outage),
      /class="is-overdue".*<strong class="flag">Overdue<\/strong>.*Suspended/,
    );
    assert.match(rowOf((await page('/api/ops')).html, ids.outage), /Overdue/);
    assert.deepEqual(listed((await page('/api/ops?overdue=1&stage=closed')).html), []);
  });
});
