import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { appUnderTest } from '../support/ticketApi';

/** The form token of a fresh visit to the portal page. */
const formTokenOf = (html: string) => {
  const m = /name="form" value="([^"]+)"/.exec(html);
  assert.ok(m?.[1], 'the form carries a form token');
  return m[1];
};
const decode = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

describe('the requester portal on the local runtime', () => {
  const app = appUnderTest();
  const url = (p: string) => `${app.rt.runtime.url}${p}`;
  let ip = 0;
  /** Each filing from an address of its own, so the per-IP limit only counts where a test means it. */
  const nextIp = () => `203.0.113.${++ip}`;

  const openForm = async () => {
    const res = await fetch(url('/api/portal/demo'), { headers: { accept: 'text/html' } });
    assert.equal(res.status, 200);
    return { res, html: await res.text() };
  };
  const fileForm = async (fields: Record<string, string>, headers: Record<string, string> = {}) => {
    const token = formTokenOf((await openForm()).html);
    const res = await fetch(url('/api/portal/demo/tickets'), {
      method: 'POST',
      redirect: 'manual',
      headers: {
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': nextIp(),
        ...headers,
      },
      body: new URLSearchParams({ form: token, ...fields }).toString(),
    });
    await app.rt.runtime.drain();
    return res;
  };
  const post = async (statusUrl: string, fields: Record<string, string>) => {
    const res = await fetch(statusUrl, {
      method: 'POST',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    const html = await res.text();
    await app.rt.runtime.drain();
    return { status: res.status, html };
  };

  it('shows a form in the client’s name with a strict CSP and no inline code outside its hash', async () => {
    const { res, html } = await openForm();
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'sha256-/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.match(html, /Demo|demo/);
    assert.match(html, /<label for="subject">/);
    assert.match(html, /enctype="multipart\/form-data"/);
  });

  it('suggests the client’s own articles as the requester types', async () => {
    const res = await fetch(url('/api/portal/demo/suggest?q=printer%20offline'));
    assert.equal(res.status, 200);
    const { articles } = (await res.json()) as {
      articles: { id: string; title: string; url: string; score: number }[];
    };
    assert.equal(articles[0]?.id, 'printer-hp-m404');
    assert.equal(articles[0]?.score, 1);
    assert.equal(articles[0]?.url, '/api/portal/demo/articles/printer-hp-m404');
    const page = await fetch(url(articles[0]?.url ?? ''), { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /This solved it/);
    const none = (await (await fetch(url('/api/portal/demo/suggest?q=pr'))).json()) as {
      articles: unknown[];
    };
    assert.deepEqual(none.articles, [], 'two letters are too little to search on');
    assert.equal((await fetch(url('/api/portal/nobody/suggest?q=printer'))).status, 404);
  });

  it('counts "this solved it" once per visit and article, as a self-service deflection in the metrics', async () => {
    const token = formTokenOf((await openForm()).html);
    const solved = () =>
      fetch(url('/api/portal/demo/solved'), {
        method: 'POST',
        headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ form: token, article: 'printer-hp-m404' }).toString(),
      });
    const first = await solved();
    assert.equal(first.status, 200);
    assert.match(await first.text(), /glad that helped/);
    assert.equal((await solved()).status, 200, 'a double click is fine');
    const forged = await fetch(url('/api/portal/demo/solved'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ form: `${token}x`, article: 'printer-hp-m404' }).toString(),
    });
    assert.equal(forged.status, 403);
    const metrics = (await (
      await app.rt.get('/api/metrics?clientId=demo&from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z')
    ).json()) as {
      selfServiceDeflections: number;
      tickets: number;
    };
    assert.equal(metrics.selfServiceDeflections, 1);
  });

  it('takes a requester from the portal page to a resolved ticket without mail', async () => {
    const res = await fileForm({
      email: 'pat@demo.example',
      name: 'Pat Kim',
      subject: 'Mouse not working',
      description: 'My wireless mouse stopped working',
    });
    assert.equal(res.status, 303);
    const statusUrl = res.headers.get('location') ?? '';
    assert.match(statusUrl, /\/api\/portal\/demo\/tickets\/T-\d+\?token=[\w.-]+$/);
    assert.doesNotMatch(statusUrl, /pat|mouse/i, 'no requester data in the URL but the signed token');
    const ticketId = /tickets\/(T-\d+)/.exec(statusUrl)?.[1] ?? '';

    const ack = (await app.api.mails('pat@demo.example'))[0];
    assert.ok(ack?.text.includes(statusUrl), 'the acknowledgement links to the status page');

    const page = await fetch(statusUrl, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Did this resolve your issue\?/);
    assert.match(html, /value="yes"/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);

    const answered = await post(statusUrl, { action: 'yes' });
    assert.equal(answered.status, 200);
    assert.match(answered.html, /marked your request as resolved/);
    const view = (await (await app.rt.get(`/api/tickets/${ticketId}`)).json()) as {
      stage: string;
      channel: string;
      resolution: { by: string };
    };
    assert.equal(view.stage, 'resolved');
    assert.equal(view.channel, 'portal');
    assert.equal(view.resolution.by, 'requester');
    assert.ok(!('statusLink' in view), 'the API never shows the requester’s link');
    const after = await (await fetch(statusUrl, { headers: { accept: 'text/html' } })).text();
    assert.match(after, /data-stage="resolved"/);
    assert.doesNotMatch(after, /value="yes"/, 'no question open any more');
    assert.equal((await post(statusUrl, { action: 'yes' })).status, 409);
  });

  it('a reply and the public timeline: internal notes never show, the reply is escaped', async () => {
    const res = await fileForm({
      email: 'quinn@demo.example',
      subject: 'File server down',
      description: 'The file server is down and nobody can open the shared drive',
    });
    const statusUrl = res.headers.get('location') ?? '';
    const ticketId = /tickets\/(T-\d+)/.exec(statusUrl)?.[1] ?? '';
    await app.api.event(ticketId, {
      type: 'plan',
      by: 'eng@msp.example',
      note: 'INTERNAL: restore from snapshot 42',
    });
    const replied = await post(statusUrl, {
      action: 'reply',
      text: 'It is <img src=x onerror=alert(1)> still down',
    });
    assert.equal(replied.status, 200);
    assert.equal(
      (await post(statusUrl, { action: 'reply', text: 'Tried again, password: Hunter2$ fails too' })).status,
      200,
    );
    const said = (
      (await (await app.rt.get(`/api/tickets/${ticketId}`)).json()) as {
        escalation?: { conversation: { text: string }[] };
      }
    ).escalation?.conversation.map((c) => c.text);
    const page = await (await fetch(statusUrl, { headers: { accept: 'text/html' } })).text();
    assert.doesNotMatch(
      `${JSON.stringify(said)} ${page}`,
      /Hunter2/,
      'a password typed in a portal reply is masked',
    );
    const html = await (await fetch(statusUrl, { headers: { accept: 'text/html' } })).text();
    assert.match(html, /An engineer has your request/);
    assert.doesNotMatch(html, /INTERNAL|snapshot 42/);
    assert.doesNotMatch(html, /<img/);
    assert.match(decode(html), /It is <img src=x onerror=alert\(1\)> still down/);
    const escalation = (
      (await (await app.rt.get(`/api/tickets/${ticketId}`)).json()) as { escalation?: { reason: string } }
    ).escalation;
    if (escalation) assert.ok(!html.includes(escalation.reason), 'the escalation reason stays internal');
    assert.equal(
      (await post(statusUrl, { action: 'yes' })).status,
      409,
      'no question open on an escalated ticket',
    );
  });

  it('refuses bad tokens: malformed 400, forged or another ticket’s 403', async () => {
    const res = await fileForm({ email: 'rob@demo.example', subject: 'Keyboard', description: 'Keys stick' });
    const statusUrl = res.headers.get('location') ?? '';
    const [base, token = ''] = statusUrl.split('?token=');
    assert.equal((await fetch(`${base}?token=nonsense`)).status, 400);
    assert.equal((await fetch(`${base}`)).status, 400);
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    assert.equal((await fetch(`${base}?token=${forged}`)).status, 403);
    const other = base?.replace(/T-(\d+)$/, (_, n: string) => `T-${Number(n) + 100}`);
    assert.equal((await fetch(`${other}?token=${token}`)).status, 403);
    assert.equal((await fetch(`${base?.replace('/demo/', '/other/')}?token=${token}`)).status, 404);
    const json = await fetch(`${base}?token=${forged}`, { headers: { accept: 'application/json' } });
    assert.deepEqual(await json.json(), { error: 'token: bad signature' });
  });

  it('re-shows the form with what was typed, escaped, when a field is wrong; an unknown client is 404', async () => {
    const res = await fileForm({
      email: 'sam@demo.example',
      subject: '<script>alert("x")</script>',
      description: 'x',
    });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /subject: must be plain text/);
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /value="&#60;script&#62;alert\(&#34;x&#34;\)&#60;\/script&#62;"/);
    assert.equal(
      (await fetch(url('/api/portal/no-such-client'), { headers: { accept: 'text/html' } })).status,
      404,
    );
  });

  it('keeps an attachment sent as multipart/form-data', async () => {
    const token = formTokenOf((await openForm()).html);
    const form = new FormData();
    form.set('form', token);
    form.set('email', 'tess@demo.example');
    form.set('subject', 'Error on screen');
    form.set('description', 'See the screenshot');
    form.set('attachment', new Blob([Buffer.from('PNG-ish bytes')], { type: 'image/png' }), 'screen.png');
    const res = await fetch(url('/api/portal/demo/tickets'), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'x-forwarded-for': nextIp() },
      body: form,
    });
    assert.equal(res.status, 303);
    await app.rt.runtime.drain();
    const ticketId = /tickets\/(T-\d+)/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
    const view = (await (await app.rt.get(`/api/tickets/${ticketId}`)).json()) as {
      attachments: { filename: string; contentType: string; size: number }[];
    };
    assert.deepEqual(view.attachments, [{ filename: 'screen.png', contentType: 'image/png', size: 13 }]);
  });

  it('limits anonymous filing per address (5 an hour), with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fileForm({ email: 'flood@demo.example', subject: `Spam ${i}`, description: 'x' });
      statuses.push(res.status);
      if (res.status === 429) assert.equal(res.headers.get('retry-after'), '3600');
    }
    assert.deepEqual(statuses, [303, 303, 303, 303, 303, 429]);
    await app.rt.runtime.advance(60 * 60 * 1000);
    const later = await fileForm({ email: 'flood@demo.example', subject: 'Real one', description: 'x' });
    assert.equal(later.status, 303, 'a new hour, a new allowance');
  });
});
