import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { GraphMail } from '../../src/adapters/graph/graphMail';
import { RestClient } from '../../src/adapters/http/restClient';
import { TableSubscriptionStore } from '../../src/adapters/tables/tableSubscriptionStore';
import { keepSubscription } from '../../src/intake/keepSubscription';
import { containerName, Containers } from '../../src/names';
import { type FakeGraph, startFakeGraph } from '../support/fakeGraph';
import { APP_ROOT } from '../support/runtime';
import { blobService, freshTable, queue, table } from '../support/storage';
import { appUnderTest } from '../support/ticketApi';

const MAILBOX = 'support@msp.example';
const fixture = (name: string) =>
  readFileSync(path.join(APP_ROOT, 'tests', 'fixtures', 'mail', name), 'latin1');

describe('mail intake', () => {
  let graph: FakeGraph;
  before(async () => {
    graph = await startFakeGraph();
    process.env.AUTOTIER_MAIL_INTAKE_SECRETS = 'inbound:mail-secret-1,inbound:mail-secret-0';
    process.env.AUTOTIER_SUPPORT_MAILBOX = MAILBOX;
    process.env.AUTOTIER_GRAPH_CLIENT_STATE = 'graph-client-state-new,graph-client-state-old';
    process.env.AUTOTIER_GRAPH_AUTH = 'none';
    process.env.AUTOTIER_GRAPH_BASE_URL = graph.url;
  });
  after(() => graph.close());
  const app = appUnderTest();

  const post = async (
    mime: string | Buffer | FormData,
    options: { auth?: string | null; type?: string } = {},
  ) => {
    const auth = options.auth === undefined ? 'inbound:mail-secret-0' : options.auth;
    const res = await fetch(`${app.rt.runtime.url}/api/mail/inbound`, {
      method: 'POST',
      headers: {
        ...(mime instanceof FormData ? {} : { 'content-type': options.type ?? 'message/rfc822' }),
        ...(auth ? { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {}),
      },
      body: typeof mime === 'string' ? Buffer.from(mime, 'latin1') : mime,
    });
    await app.rt.runtime.drain();
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const ticketOf = async (email: string) => {
    const ack = (await app.api.mails(email)).find((m) => m.subject.includes("We've got your request"));
    return /\[#(T-\d+)\]/.exec(ack?.subject ?? '')?.[1];
  };

  it('turns a raw MIME mail into a ticket, once, however often it arrives', async () => {
    assert.equal((await post(fixture('plain.eml'))).status, 202);
    assert.equal((await post(fixture('plain.eml'))).status, 202);
    const acks = (await app.api.mails('kim.park@demo.example')).filter((m) =>
      m.subject.includes("We've got your request"),
    );
    assert.equal(acks.length, 1);
    assert.equal(
      (acks[0] as { replyTo?: string }).replyTo,
      MAILBOX,
      '"just reply to this mail" reaches the support mailbox',
    );
    assert.match(acks[0]?.subject ?? '', /Printer at reception shows offline/);
    const ticketId = (await ticketOf('kim.park@demo.example')) ?? '';
    assert.ok(await app.api.acknowledgedAt(ticketId), 'acknowledged by the intake, before the workflow ran');
    const view = await app.api.view(ticketId);
    assert.equal(view.category, 'printer_peripheral');
    assert.equal((view as unknown as { channel: string }).channel, 'email');
  });

  it('threads an Outlook reply by In-Reply-To onto its ticket, without the quoted history', async () => {
    const ticketId = (await ticketOf('kim.park@demo.example')) ?? '';
    const reply = fixture('reply-outlook.eml')
      .replaceAll('T-PLACEHOLDER', ticketId)
      .replaceAll('REPLY-TO-PLACEHOLDER', 'plain-001@demo.example')
      .replace('Subject: RE: [#' + ticketId + ']', 'Subject: RE:'); // no token: In-Reply-To alone must thread it
    assert.equal((await post(reply)).status, 202);
    const view = await app.api.view(ticketId);
    assert.equal(view.stage, 'escalated', 'the requester said no, so it went to an engineer');
    const said = view.escalation?.conversation.map((c) => c.text) ?? [];
    assert.ok(said.includes('No, it still says my account is locked.\n\nKim'), said.join(' | '));
    assert.ok(!said.some((t) => t.includes('Did this resolve your issue')), 'quoted history stripped');
  });

  it('threads a reply by its subject token when the headers are gone', async () => {
    await post(
      fixture('windows1252.eml').replace('Subject: Outlook error', 'Subject: Locked out of my account'),
    );
    const ticketId = (await ticketOf('kim.park@demo.example')) ?? '';
    const tickets = (await app.api.mails('kim.park@demo.example'))
      .map((m) => /\[#(T-\d+)\]/.exec(m.subject)?.[1])
      .filter((x, i, all) => x && all.indexOf(x) === i);
    const latest = tickets.at(-1) ?? ticketId;
    const guide = (await app.api.mails('kim.park@demo.example')).find(
      (m) => m.subject.startsWith(`[#${latest}]`) && m.text.includes('Did this resolve your issue?'),
    );
    if (!guide) return assert.fail(`no guide for ${latest}`);
    const reply = fixture('reply-gmail.eml').replaceAll('T-PLACEHOLDER', latest);
    assert.equal((await post(reply)).status, 202);
    assert.equal((await app.api.view(latest)).stage, 'resolved');
  });

  it("a colleague the requester copied may answer; anyone else's reply goes to review", async () => {
    const original = fixture('plain.eml')
      .replace('Kim.Park@demo.example', 'lee.wong@demo.example')
      .replace(
        'To: support@msp.example',
        'To: support@msp.example\r\nCc: Office Manager <Manager@demo.example>',
      )
      .replace('plain-001', 'cc-001');
    assert.equal((await post(original)).status, 202);
    const ticketId = (await ticketOf('lee.wong@demo.example')) ?? '';
    const replyFrom = (from: string, id: string, text: string) =>
      [
        `From: ${from}`,
        'To: support@msp.example',
        `Subject: Re: [#${ticketId}] Printer at reception shows offline`,
        `Message-ID: <${id}@demo.example>`,
        'In-Reply-To: <cc-001@demo.example>',
        'Content-Type: text/plain; charset=utf-8',
        '',
        text,
      ].join('\r\n');

    assert.equal(
      (await post(replyFrom('Pat <pat@demo.example>', 'cc-stranger', 'Thanks, fixed!'))).status,
      202,
    );
    assert.equal((await app.api.view(ticketId)).stage, 'awaiting_confirmation', 'a stranger closes nothing');
    const rows: { reason: string }[] = [];
    for await (const row of table(`${app.rt.tablePrefix}Review`).listEntities<{ reason: string }>())
      rows.push(row);
    assert.ok(rows.some((r) => r.reason.includes(`a reply to ${ticketId} from pat@demo.example`)));

    const viaApi = await app.api.event(ticketId, {
      type: 'reply',
      from: 'manager@demo.example',
      text: 'Is it done?',
    });
    assert.equal(viaApi.status, 202, 'the copied colleague is a participant for the API too');
    assert.equal(
      (await post(replyFrom('manager@demo.example', 'cc-manager', 'Thanks, all working now'))).status,
      202,
    );
    assert.equal((await app.api.view(ticketId)).stage, 'resolved');
  });

  it('keeps attachments in Blob storage with the ticket', async () => {
    assert.equal((await post(fixture('attachments.eml'))).status, 202);
    const ticketId = (await ticketOf('sam.lee@demo.example')) ?? '';
    const view = (await app.api.view(ticketId)) as unknown as {
      attachments: { filename: string; size: number }[];
    };
    assert.deepEqual(
      view.attachments.map((a) => a.filename),
      ['invoice-2231.pdf'],
    );
    const container = blobService().getContainerClient(containerName(app.rt.tablePrefix, Containers.mail));
    const names: string[] = [];
    for await (const b of container.listBlobsFlat({ prefix: `attachments/${ticketId}/` })) names.push(b.name);
    assert.equal(names.length, 1);
    assert.ok(
      (await container.getBlockBlobClient(names[0]!).downloadToBuffer())
        .subarray(0, 5)
        .equals(Buffer.from('%PDF-')),
    );
  });

  it('takes SendGrid Inbound Parse raw mode (multipart form, email field); a forward keeps its content', async () => {
    const form = new FormData();
    form.set('to', MAILBOX);
    form.set('email', fixture('forwarded.eml'));
    assert.equal((await post(form)).status, 202);
    const ticketId = (await ticketOf('manager@demo.example')) ?? '';
    const mails = await app.api.mails('manager@demo.example');
    assert.match(mails[0]?.subject ?? '', /Printer error 49\.4C02/);
    assert.doesNotMatch(mails[0]?.subject ?? '', /Fwd/);
    assert.ok(ticketId);
  });

  it("takes SendGrid's own sample deliveries (boundary xYzZY, case and all), with and without attachments", async () => {
    for (const sample of ['raw_data.txt', 'raw_data_with_attachments.txt']) {
      // Stored with LF line ends; on the wire a form uses CRLF.
      const body = readFileSync(path.join(APP_ROOT, 'tests', 'fixtures', 'sendgrid', sample), 'utf8').replace(
        /\r?\n/g,
        '\r\n',
      );
      const res = await fetch(`${app.rt.runtime.url}/api/mail/inbound`, {
        method: 'POST',
        headers: {
          'content-type': 'multipart/form-data; boundary=xYzZY',
          authorization: `Basic ${Buffer.from('inbound:mail-secret-1').toString('base64')}`,
        },
        body,
      });
      assert.equal(res.status, 202, `${sample}: ${await res.clone().text()}`);
    }
    await app.rt.runtime.drain();
    // The samples come from example.com, which no client owns: kept whole for review, not lost.
    const reasons: string[] = [];
    for await (const row of table(`${app.rt.tablePrefix}Review`).listEntities<{ reason: string }>())
      reasons.push(row.reason);
    assert.equal(reasons.filter((r) => r === 'no client has the mail domain example.com').length, 2);
  });

  it('takes real-world mail from a public parser test suite without a failure: each is a ticket, a review or ignored', async () => {
    const dir = path.join(APP_ROOT, 'tests', 'fixtures', 'mail', 'public');
    const files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
    assert.ok(files.length >= 9);
    for (const f of files) {
      const res = await post(readFileSync(path.join(dir, f), 'latin1'));
      assert.ok(res.status === 202 || res.status === 400, `${f}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    await app.rt.runtime.drain();
    const intake = queue(process.env.AUTOTIER_INTAKE_QUEUE ?? '');
    assert.equal(
      (await intake.getProperties()).approximateMessagesCount,
      0,
      'every delivery was handled, none is retrying',
    );
  });

  it('leaves out-of-office replies alone, and keeps mail from an unknown domain for review', async () => {
    assert.equal((await post(fixture('out-of-office.eml'))).status, 202);
    const stranger = fixture('plain.eml')
      .replace('Kim.Park@demo.example', 'someone@unknown.example')
      .replace('plain-001', 'stranger-001');
    assert.equal((await post(stranger)).status, 202);
    assert.deepEqual(await app.api.mails('someone@unknown.example'), []);
    const rows: { reason: string }[] = [];
    for await (const row of table(`${app.rt.tablePrefix}Review`).listEntities<{ reason: string }>())
      rows.push(row);
    assert.ok(rows.some((r) => r.reason === 'no client has the mail domain unknown.example'));
  });

  it('answers 401 without the secret, 400 to something that is not a mail, 413 over 25 MB', async () => {
    assert.deepEqual(await post(fixture('plain.eml'), { auth: null }), {
      status: 401,
      body: { error: 'unauthorized' },
    });
    assert.equal((await post(fixture('plain.eml'), { auth: 'inbound:guess' })).status, 401);
    const notMail = await post('just some words', { type: 'text/plain' });
    assert.equal(notMail.status, 400);
    assert.match(String(notMail.body.error), /not a MIME message/);
    assert.equal((await post(Buffer.alloc(26 * 1024 * 1024, 'a'))).status, 413);
    // Without credentials nothing is read: 401, not 413.
    assert.equal((await post(Buffer.alloc(26 * 1024 * 1024, 'a'), { auth: null })).status, 401);
  });

  describe('through Microsoft Graph', () => {
    const graphMail = () =>
      new GraphMail(
        new RestClient({ vendor: 'graph', baseUrl: graph.url, headers: () => ({}), sleep: async () => {} }),
        MAILBOX,
      );

    it('subscribes (passing the validation handshake), renews before expiry, and re-subscribes when Graph dropped it', async () => {
      const store = new TableSubscriptionStore(await freshTable('graph'));
      let now = new Date('2026-03-02T10:00:00Z');
      const deps = {
        graph: graphMail(),
        store,
        publicBaseUrl: app.rt.runtime.url,
        clientState: 'graph-client-state-new',
        now: () => now,
      };
      const created = await keepSubscription(deps);
      assert.equal(created.action, 'created');
      assert.equal(
        graph.subscriptions.get(created.subscription.id)?.resource,
        `/users/${encodeURIComponent(MAILBOX)}/mailFolders('inbox')/messages`,
      );
      assert.equal((await keepSubscription(deps)).action, 'kept');
      now = new Date('2026-03-04T12:00:00Z');
      const renewed = await keepSubscription(deps);
      assert.equal(renewed.action, 'renewed');
      assert.equal(renewed.subscription.expiresAt, '2026-03-08T12:00:00.000Z');
      graph.subscriptions.clear();
      assert.equal((await keepSubscription(deps, true)).action, 'created');
    });

    it('answers the validation handshake, refuses a wrong clientState, and takes a notified message in', async () => {
      const token = 'Validation: Testing client application reachability';
      const v = await fetch(
        `${app.rt.runtime.url}/api/mail/graph?validationToken=${encodeURIComponent(token)}`,
        {
          method: 'POST',
        },
      );
      assert.equal(v.status, 200);
      assert.equal(v.headers.get('content-type'), 'text/plain');
      assert.equal(await v.text(), token);

      graph.messages.set('AAMkAD-latin1', Buffer.from(fixture('latin1.eml'), 'latin1'));
      assert.equal(await graph.notify(MAILBOX, 'AAMkAD-latin1', 'forged-state'), 401);
      await app.rt.runtime.drain();
      assert.deepEqual(await app.api.mails('rene.dupre@demo.example'), []);

      graph.fail({ status: 429, retryAfter: '0' }); // throttled once; the fetch is retried
      assert.equal(await graph.notify(MAILBOX, 'AAMkAD-latin1'), 202);
      assert.equal(await graph.notify(MAILBOX, 'AAMkAD-latin1'), 202, 'a repeated notification is fine');
      await app.rt.runtime.drain();
      const acks = (await app.api.mails('rene.dupre@demo.example')).filter((m) =>
        m.subject.includes("We've got your request"),
      );
      assert.equal(acks.length, 1);
      assert.match(acks[0]?.subject ?? '', /Imprimante hors ligne à l'accueil/);
      assert.equal(acks[0]?.text.startsWith('Hi René,'), true);
    });

    it('answers a notification list holding something that is not a notification with 400', async () => {
      for (const value of [[null], [1], [[]]]) {
        const res = await fetch(`${app.rt.runtime.url}/api/mail/graph`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ value }),
        });
        assert.equal(res.status, 400, JSON.stringify(value));
      }
    });

    it('reads a notified message only from the support mailbox, whatever mailbox the notification names', async () => {
      graph.messages.set('AAMkAD-ceo', Buffer.from(fixture('plain.eml'), 'latin1'));
      assert.equal(await graph.notify('ceo@msp.example', 'AAMkAD-ceo'), 202);
      await app.rt.runtime.drain();
      const reads = graph.requests.filter((r) => r.method === 'GET' && r.path.includes('AAMkAD-ceo'));
      assert.ok(reads.length >= 1);
      for (const r of reads) assert.equal(r.path, `/users/${MAILBOX}/messages/AAMkAD-ceo/$value`);
    });
  });
});
