import assert from 'node:assert/strict';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { noteMarker, type PsaVendor } from '../../src/domain/psa';
import { FAKE_PSA_CREDENTIALS as C, type FakePsa, startFakePsa } from '../support/fakePsa';
import { table } from '../support/storage';
import { appUnderTest } from '../support/ticketApi';

const CW_API = 'https://api-na.myconnectwise.net/v4_6_release/apis/3.0';
const WEBHOOK_SECRETS: Record<PsaVendor, string> = {
  connectwise: '',
  autotask: 'at-hook-secret-new,at-hook-secret-old',
  halopsa: 'autotier:halo-hook-password,autotier:halo-hook-old',
};
const AUTOTASK_WEBHOOK_GUID = '5d1e3a4c-8b7f-4f0e-9c2d-7a6b5e4d3c2b';
let autotaskSequence = 1000;
const MAIL_INTAKE = 'inbound:mail-secret';
const SELF: Record<PsaVendor, string> = { connectwise: 'autotier', autotask: '29682885', halopsa: '77' };

/**
 * One PSA's webhook end to end on the local runtime: the vendor's own payload and signature, the
 * fetch of the full ticket from a local server speaking the vendor's API, the ticket's lifecycle,
 * and the escalation written back to the PSA ticket.
 */
export function describePsaWebhook(vendor: PsaVendor): void {
  describe(`the ${vendor} webhook`, () => {
    let psa: FakePsa;
    const realFetch = globalThis.fetch;
    before(async () => {
      psa = await startFakePsa();
      const env = process.env;
      env.AUTOTIER_PSA_TYPE = vendor;
      // ConnectWise names its key URLs on the configured site, which the test's fetch maps locally.
      env.AUTOTIER_PSA_BASE_URL = vendor === 'connectwise' ? CW_API : psa.url;
      env.AUTOTIER_PSA_COMPANY_ID = C.connectwise.companyId;
      env.AUTOTIER_PSA_USERNAME = vendor === 'connectwise' ? C.connectwise.publicKey : C.autotask.userName;
      env.AUTOTIER_PSA_SECRET =
        vendor === 'connectwise'
          ? C.connectwise.privateKey
          : vendor === 'autotask'
            ? C.autotask.secret
            : C.halopsa.clientSecret;
      env.AUTOTIER_PSA_CLIENT_ID =
        vendor === 'connectwise'
          ? C.connectwise.clientId
          : vendor === 'autotask'
            ? C.autotask.integrationCode
            : C.halopsa.clientId;
      env.AUTOTIER_PSA_WEBHOOK_SECRETS = WEBHOOK_SECRETS[vendor];
      env.AUTOTIER_MAIL_INTAKE_SECRETS = MAIL_INTAKE;
      env.AUTOTIER_PSA_MAPPING = JSON.stringify({
        companies: { '250': 'demo' },
        tiers: { 1: '1', 2: '12', 3: '13' },
        statuses: { in_progress: '3', waiting_on_requester: '5', resolved: '7', closed: '8' },
        selfIds: [SELF[vendor]],
      });
      // ConnectWise key URLs must be https on a ConnectWise host; here that host is the local server.
      globalThis.fetch = (input, init) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        return realFetch(url.startsWith(CW_API) ? psa.url + url.slice(CW_API.length) : input, init);
      };
    });
    after(async () => {
      globalThis.fetch = realFetch;
      await psa.close();
    });
    const app = appUnderTest();

    /** Loads a ticket into the PSA, in the vendor's own shape. */
    const psaTicket = (id: number, email: string, summary: string, company = 250) => {
      if (vendor === 'connectwise')
        psa.tickets.set(`connectwise:${id}`, {
          id,
          summary,
          company: { id: company, identifier: `Co${company}` },
          contactName: 'Kim Park',
          contactEmailAddress: email,
          board: { id: 99 },
          status: { id: 1 },
        });
      if (vendor === 'autotask') {
        psa.tickets.set(`autotask:${id}`, {
          id,
          ticketNumber: `T20260302.${String(id).padStart(4, '0')}`,
          title: summary,
          description: `${summary}. Since this morning.`,
          companyID: company,
          contactID: id,
          queueID: 8,
          status: 1,
        });
        psa.contacts.set(String(id), { id, firstName: 'Kim', lastName: 'Park', emailAddress: email });
      }
      if (vendor === 'halopsa')
        psa.tickets.set(`halopsa:${id}`, {
          id,
          summary,
          details: `${summary}. Since this morning.`,
          client_id: company,
          client_name: `Company ${company}`,
          user_name: 'Kim Park',
          user_email: email,
          status_id: 1,
        });
      if (vendor === 'connectwise')
        psa.notes.set(`connectwise:${id}`, [
          { id: 1, text: `${summary}. Since this morning.`, detailDescriptionFlag: true },
        ]);
    };

    /** The vendor's webhook payload for a ticket event (carrying ids only, so the PSA is asked). */
    const payload = (
      id: number,
      over: { action?: string; actor?: string; eventId?: string; keyUrl?: string } = {},
    ) => {
      const eventId = over.eventId ?? randomUUID();
      if (vendor === 'connectwise')
        return {
          MessageId: eventId,
          FromUrl: 'api-na.myconnectwise.net',
          CompanyId: C.connectwise.companyId,
          MemberId: over.actor ?? 'jsmith',
          Action: over.action ?? 'added',
          Type: 'ticket',
          ID: id,
          Entity: JSON.stringify({ id, summary: 'only a summary here' }),
          Metadata: { key_url: over.keyUrl ?? `${CW_API}/system/callbacks/key/k1` },
        };
      if (vendor === 'autotask')
        return {
          Action: over.action ?? 'Create',
          // The webhook's own GUID is the same on every delivery; the sequence number tells them apart.
          Guid: AUTOTASK_WEBHOOK_GUID,
          EntityType: 'Ticket',
          Id: id,
          Fields: { 4: 1 },
          EventTime: '2026-03-02T10:00:00Z',
          SequenceNumber: over.eventId ?? String(++autotaskSequence),
          PersonID: Number(over.actor ?? 1234),
        };
      return {
        id: eventId,
        event: over.action ?? 'New Ticket Logged',
        ticket: { id },
        ...(over.actor ? { action: { id: 5, who_agentid: Number(over.actor) } } : {}),
      };
    };

    const sign = (raw: string, forged = false): Record<string, string> => {
      if (vendor === 'connectwise') {
        const key = createHash('sha256')
          .update(forged ? 'guessed' : C.connectWiseSigningKey)
          .digest();
        return { 'x-content-signature': createHmac('sha256', key).update(raw).digest('base64') };
      }
      if (vendor === 'autotask')
        return {
          'x-hook-signature': `sha1=${createHmac('sha1', forged ? 'guessed' : 'at-hook-secret-old')
            .update(raw)
            .digest('base64')}`,
        };
      return {
        authorization: `Basic ${Buffer.from(forged ? 'autotier:guessed' : 'autotier:halo-hook-password').toString('base64')}`,
      };
    };

    const deliver = async (body: unknown, options: { forged?: boolean } = {}) => {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const res = await realFetch(`${app.rt.runtime.url}/api/webhooks/${vendor}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...sign(raw, options.forged) },
        body: raw,
      });
      await app.rt.runtime.drain();
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    const review = async () => {
      const rows: { partitionKey?: string; reason: string; raw: string }[] = [];
      for await (const row of table(`${app.rt.tablePrefix}Review`).listEntities<{
        reason: string;
        raw: string;
      }>())
        rows.push(row);
      return rows;
    };

    it('makes a ticket from a valid delivery, fetching it from the PSA, and writes the escalation back', async () => {
      psaTicket(601, 'kim.601@demo.example', 'Locked out of my account after too many password attempts');
      const r = await deliver(payload(601));
      assert.equal(r.status, 202);
      const mails = await app.api.mails('kim.601@demo.example');
      const ack = mails.find((m) => m.subject.includes("We've got your request"));
      assert.ok(ack, 'acknowledged');
      assert.match(ack.subject, /Locked out of my account/);
      const number = vendor === 'autotask' ? 'T20260302.0601' : '601';
      assert.ok(
        ack.text.includes(`ticket ${number} with our service desk`),
        'the PSA ticket number is in the mail',
      );
      const ticketId = /\[#(T-\d+)\]/.exec(ack.subject)?.[1] ?? '';
      const guide = mails.find((m) => m.text.includes('Did this resolve your issue?'));
      assert.ok(guide, 'automation sent a guide');
      await app.api.click(app.api.link(guide, 'no'));
      const view = await app.api.view(ticketId);
      assert.equal(view.stage, 'escalated');
      const notes = (psa.notes.get(`${vendor}:601`) ?? []).map((n) => JSON.stringify(n));
      const escalation = notes.filter((n) => n.includes(`escalated ${ticketId} to tier`));
      assert.equal(escalation.length, 1, `one escalation note in ${notes.join('\n')}`);
      assert.ok(escalation[0]!.includes(noteMarker(ticketId, '').trim().slice(0, -1)));
      const t = psa.tickets.get(`${vendor}:601`)!;
      const queue =
        vendor === 'connectwise'
          ? (t.board as { id: number }).id
          : vendor === 'autotask'
            ? t.queueID
            : t.team;
      const tierQueue: Record<number, string> = { 1: '1', 2: '12', 3: '13' };
      assert.equal(String(queue), tierQueue[view.tier], `moved to the tier-${view.tier} board/queue`);
    });

    it('the PSA is down when the ticket escalates: the tier is alerted anyway and the requester told', async () => {
      psaTicket(611, 'kim.611@demo.example', 'Locked out of my account after too many password attempts');
      assert.equal((await deliver(payload(611))).status, 202);
      const guide = (await app.api.mails('kim.611@demo.example')).find((m) =>
        m.text.includes('Did this resolve your issue?'),
      );
      assert.ok(guide, 'automation sent a guide');
      const ticketId = /\[#(T-\d+)\]/.exec(guide.subject)?.[1] ?? '';
      // Every PSA call of every retry of the hand-over fails (4 tries inside, 4 activity attempts).
      psa.fail(...Array.from({ length: 16 }, () => ({ status: 503, retryAfter: '0' })));
      await app.api.click(app.api.link(guide, 'no'));
      await app.rt.runtime.advance(2 * 60_000);
      assert.equal(await app.api.runtimeStatus(ticketId), 'Running', 'the workflow carries on');
      const alerts = await app.api.notifications(ticketId);
      assert.ok(
        alerts.some((n) => n.kind === 'escalation' && /hand-over to the PSA failed/.test(n.message)),
        JSON.stringify(alerts),
      );
      const subjects = (await app.api.mails('kim.611@demo.example')).map((m) => m.subject);
      assert.ok(
        subjects.some((s) => s.includes('An engineer is on it')),
        subjects.join('\n'),
      );
      assert.equal((await app.api.view(ticketId)).stage, 'escalated');
    });

    it('answers 401 with no detail to a forged signature', async () => {
      psaTicket(602, 'kim.602@demo.example', 'Printer offline');
      assert.deepEqual(await deliver(payload(602), { forged: true }), {
        status: 401,
        body: { error: 'unauthorized' },
      });
      assert.deepEqual(await app.api.mails('kim.602@demo.example'), []);
    });

    it('answers a replayed delivery as a duplicate, and a second event for the same ticket makes no second ticket', async () => {
      psaTicket(603, 'kim.603@demo.example', 'Printer offline at reception');
      const body = payload(603);
      assert.equal((await deliver(body)).status, 202);
      const again = await deliver(body);
      assert.equal(again.status, 200);
      assert.equal(again.body.duplicate, true);
      assert.equal((await deliver(payload(603))).status, 202, 'a new event id is accepted');
      const acks = (await app.api.mails('kim.603@demo.example')).filter((m) =>
        m.subject.includes("We've got your request"),
      );
      assert.equal(acks.length, 1);
    });

    if (vendor === 'autotask')
      it('tells deliveries of one webhook apart by their sequence number, not the webhook Guid they share', async () => {
        psaTicket(612, 'kim.612@demo.example', 'Printer offline at reception');
        psaTicket(613, 'kim.613@demo.example', 'Printer offline upstairs');
        assert.equal((await deliver(payload(612))).status, 202);
        assert.equal(
          (await deliver(payload(613))).status,
          202,
          'a second delivery of the same webhook is new',
        );
        for (const email of ['kim.612@demo.example', 'kim.613@demo.example'])
          assert.equal(
            (await app.api.mails(email)).filter((m) => m.subject.includes("We've got your request")).length,
            1,
          );
      });

    it('a delivery of about 200 KiB (a long ticket history) becomes a ticket', async () => {
      psaTicket(614, 'kim.614@demo.example', 'Printer offline at reception');
      const body = payload(614) as Record<string, unknown>;
      // Vendors send what they have: here a long thread of notes, in Japanese, past a queue message.
      body.history = Array.from({ length: 40 }, (_, i) => ({
        note: `${i}: ${'プリンターがオフラインと表示されます。'.repeat(90)}`,
      }));
      const raw = JSON.stringify(body);
      assert.ok(Buffer.byteLength(raw) > 190 * 1024 && Buffer.byteLength(raw) < 256 * 1024);
      assert.equal((await deliver(raw)).status, 202);
      assert.equal(
        (await app.api.mails('kim.614@demo.example')).filter((m) =>
          m.subject.includes("We've got your request"),
        ).length,
        1,
      );
    });

    it('answers 400 naming the field, and 413 over the size limit', async () => {
      const bad = payload(604) as Record<string, unknown>;
      delete bad[vendor === 'connectwise' ? 'ID' : vendor === 'autotask' ? 'Id' : 'ticket'];
      const r = await deliver(bad);
      assert.equal(r.status, 400);
      assert.match(
        String(r.body.error),
        vendor === 'connectwise' ? /^ID: / : vendor === 'autotask' ? /^Id: / : /^ticket: /,
      );
      const big = { ...payload(605), padding: 'x'.repeat(300 * 1024) };
      assert.equal((await deliver(big)).status, 413);
    });

    it('keeps a delivery it cannot place for review: a company mapped to no client, a ticket the PSA does not have', async () => {
      psaTicket(606, 'someone@elsewhere.example', 'Need a new mouse', 999);
      assert.equal((await deliver(payload(606))).status, 202);
      assert.equal((await deliver(payload(60_999))).status, 202);
      const rows = await review();
      const company = rows.find((x) => /company .*999.* is not mapped to a client/.test(x.reason));
      assert.ok(company, `review rows: ${rows.map((x) => x.reason).join('; ')}`);
      assert.ok(company.raw.includes('606'), 'the raw payload is kept');
      assert.ok(rows.some((x) => x.reason === `${vendor} has no ticket 60999`));
      assert.deepEqual(await app.api.mails('someone@elsewhere.example'), []);
    });

    it("ignores autotier's own changes and updates that are not new tickets", async () => {
      psaTicket(607, 'kim.607@demo.example', 'VPN will not connect');
      assert.equal((await deliver(payload(607, { actor: SELF[vendor] }))).status, 202);
      const update =
        vendor === 'connectwise' ? 'updated' : vendor === 'autotask' ? 'Update' : 'Ticket Updated';
      assert.equal((await deliver(payload(607, { action: update }))).status, 202);
      assert.deepEqual(await app.api.mails('kim.607@demo.example'), []);
    });

    /** The PSA ticket autotier opened for an autotier ticket, found by its reference tag. */
    const opened = (ticketId: string) =>
      [...psa.tickets.entries()].filter(([key, t]) => {
        const summary = String(vendor === 'autotask' ? t.title : t.summary);
        return key.startsWith(`${vendor}:`) && summary.includes(`(autotier ${ticketId})`);
      });

    /** The requester as a contact of company 250, in the vendor's own shape. */
    const contact = (id: number, email: string) => {
      if (vendor === 'connectwise')
        psa.contacts.set(`connectwise:${id}`, {
          id,
          firstName: 'Dana',
          lastName: 'Cole',
          company: { id: 250 },
          communicationItems: [{ communicationType: 'Email', value: email, defaultFlag: true }],
        });
      if (vendor === 'autotask')
        psa.contacts.set(String(id), {
          id,
          companyID: 250,
          firstName: 'Dana',
          lastName: 'Cole',
          emailAddress: email,
        });
      if (vendor === 'halopsa')
        psa.contacts.set(`halopsa:${id}`, { id, name: 'Dana Cole', client_id: 250, emailaddress: email });
    };

    /** An engineer's note or time entry on a PSA ticket, in the vendor's own shape. */
    let noteId = 500;
    const engineerWrites = (psaId: string, text: string, kind: 'internal' | 'public' | 'time') => {
      const id = ++noteId;
      const key = `${vendor}:${psaId}`;
      if (kind === 'time' && vendor !== 'halopsa') {
        const entry =
          vendor === 'connectwise'
            ? {
                id,
                chargeToId: Number(psaId),
                chargeToType: 'ServiceTicket',
                member: { id: 7, identifier: 'jsmith', name: 'Jo Smith' },
                internalNotes: text,
              }
            : { id, ticketID: Number(psaId), resourceID: 1234, internalNotes: text, summaryNotes: '' };
        psa.timeEntries.set(key, [...(psa.timeEntries.get(key) ?? []), entry]);
        return;
      }
      const hidden = kind !== 'public';
      const note =
        vendor === 'connectwise'
          ? {
              id,
              text,
              internalAnalysisFlag: hidden,
              detailDescriptionFlag: !hidden,
              member: { id: 7, identifier: 'jsmith', name: 'Jo Smith' },
            }
          : vendor === 'autotask'
            ? {
                id,
                ticketID: Number(psaId),
                title: 'Note',
                description: text,
                noteType: 1,
                publish: hidden ? 2 : 1,
                creatorResourceID: 1234,
              }
            : {
                id,
                ticket_id: Number(psaId),
                note: text,
                hiddenfromuser: hidden,
                who: 'Jo Smith',
                who_agentid: 12,
                timetaken: kind === 'time' ? 0.5 : 0,
              };
      psa.notes.set(key, [...(psa.notes.get(key) ?? []), note]);
    };

    /** An engineer sets the PSA ticket's status (the mapping's ids: 5 waiting, 3 in progress, 8 closed). */
    const engineerSetsStatus = (psaId: string, status: number) => {
      const t = psa.tickets.get(`${vendor}:${psaId}`)!;
      if (vendor === 'connectwise') Object.assign(t, { status: { id: status }, closedFlag: status === 8 });
      if (vendor === 'autotask') t.status = status;
      if (vendor === 'halopsa') t.status_id = status;
    };
    const updated =
      vendor === 'connectwise' ? 'updated' : vendor === 'autotask' ? 'Update' : 'Ticket Updated';

    it('opens a ticket filed through the API in the PSA once, with the company and contact, and writes back to it', async () => {
      contact(4401, 'dana.4401@demo.example');
      const ticketId = await app.api.file(
        'dana.4401@demo.example',
        'Locked out of my account',
        'I typed my password wrong too many times.',
        'Dana Cole',
      );
      const found = opened(ticketId);
      assert.equal(found.length, 1, 'one PSA ticket');
      const [key, t] = found[0]!;
      const psaId = key.slice(vendor.length + 1);
      if (vendor === 'connectwise') {
        assert.deepEqual(t.company, { id: 250 });
        assert.deepEqual(t.contact, { id: 4401 });
        assert.equal(t.contactEmailAddress, 'dana.4401@demo.example');
        assert.deepEqual(t.board, { id: 1 }, 'the tier-1 board');
      }
      if (vendor === 'autotask') {
        assert.equal(t.companyID, 250);
        assert.equal(t.contactID, 4401);
        assert.equal(t.queueID, 1);
      }
      if (vendor === 'halopsa') {
        assert.equal(t.client_id, 250);
        assert.equal(t.user_id, 4401);
        assert.equal(t.team, '1');
      }
      const view = await app.api.view(ticketId);
      assert.ok(
        view.timeline.some((e) => /^Opened .* ticket /.test(e.note)),
        'the timeline says so',
      );

      // The PSA's own "new ticket" event for it (no self-suppression here) makes no second ticket.
      assert.equal((await deliver(payload(Number(psaId)))).status, 202);
      const acks = (await app.api.mails('dana.4401@demo.example')).filter((m) =>
        m.subject.includes("We've got your request"),
      );
      assert.equal(acks.length, 1);

      // The requester says the guide did not help: the escalation lands on the PSA ticket.
      const guide = (await app.api.mails('dana.4401@demo.example')).find((m) =>
        m.text.includes('Did this resolve your issue?'),
      );
      assert.ok(guide, 'automation sent a guide');
      await app.api.click(app.api.link(guide, 'no'));
      assert.equal((await app.api.view(ticketId)).stage, 'escalated');
      const notes = (psa.notes.get(`${vendor}:${psaId}`) ?? []).map((n) => JSON.stringify(n));
      assert.equal(
        notes.filter((n) => n.includes(`escalated ${ticketId} to tier`)).length,
        1,
        notes.join('\n'),
      );
      assert.equal(opened(ticketId).length, 1, 'still one PSA ticket after every write-back');
    });

    it('an engineer’s work in the PSA reaches the workflow: a plan, waiting on the customer, a public note, the close', async () => {
      const email = 'dana.4402@demo.example';
      const ticketId = await app.api.file(
        email,
        'Locked out of my account',
        'I typed my password wrong too many times.',
        'Dana Cole',
      );
      const guide = (await app.api.mails(email)).find((m) => m.text.includes('Did this resolve your issue?'));
      assert.ok(guide);
      await app.api.click(app.api.link(guide, 'no'));
      const [[key]] = opened(ticketId) as [[string, unknown]];
      const psaId = key.slice(vendor.length + 1);
      const id = Number(psaId);

      // An internal time entry (Halo: an internal note): a plan, the tier timer stops.
      engineerWrites(psaId, 'INTERNAL: checking the lockout policy on DC01', 'time');
      assert.equal((await deliver(payload(id, { action: updated }))).status, 202);
      let view = await app.api.view(ticketId);
      assert.ok(
        view.timeline.some((e) => e.note.includes('checking the lockout policy')),
        JSON.stringify(view.timeline),
      );
      assert.equal(view.workflow?.nextDeadlineIs === 'tierLimit', false, 'the tier timer stopped');
      // The same delivery again (a retry with a new id) reports nothing twice.
      assert.equal((await deliver(payload(id, { action: updated }))).status, 202);
      view = await app.api.view(ticketId);
      assert.equal(view.timeline.filter((e) => e.note.includes('checking the lockout policy')).length, 1);

      // Waiting on the customer: the SLA pauses; back in progress: it runs again.
      engineerSetsStatus(psaId, 5);
      await deliver(payload(id, { action: updated }));
      assert.equal((await app.api.view(ticketId)).sla?.paused, true, 'paused');
      engineerSetsStatus(psaId, 3);
      await deliver(payload(id, { action: updated }));
      assert.equal((await app.api.view(ticketId)).sla?.paused, false, 'running again');

      // A customer-facing note: the requester hears it.
      engineerWrites(psaId, 'I have unlocked your account; please try again.', 'public');
      await deliver(payload(id, { action: updated }));
      const told = (await app.api.mails(email)).filter((m) =>
        m.text.includes('I have unlocked your account'),
      );
      assert.equal(told.length, 1, 'one public update');

      // The engineer closes it with an internal note: resolved by the engineer in autotier.
      engineerWrites(psaId, 'INTERNAL: cleared the bad password count', 'internal');
      engineerSetsStatus(psaId, 8);
      await deliver(payload(id, { action: updated }));
      view = await app.api.view(ticketId);
      assert.equal(view.stage, 'resolved');
      const resolution = (view as unknown as { resolution: { by: string; note?: string } }).resolution;
      assert.equal(resolution.by, 'engineer');
      assert.match(resolution.note ?? '', /cleared the bad password count/);
      const mails = await app.api.mails(email);
      assert.ok(
        mails.some((m) => m.subject.startsWith(`[#${ticketId}] Resolved:`)),
        mails.map((m) => m.subject).join('\n'),
      );
      assert.ok(!mails.some((m) => m.text.includes('INTERNAL')), 'internal notes never reach the requester');
      const status = psa.tickets.get(key)!;
      const statusNow =
        vendor === 'connectwise'
          ? (status.status as { id: number }).id
          : vendor === 'autotask'
            ? status.status
            : status.status_id;
      assert.equal(Number(statusNow), 8, 'the engineer’s status stands: autotier wrote no status over it');
    });

    /** The PSA ticket's company, contact, queue and status, whatever the vendor calls them. */
    const psaFields = (t: Record<string, unknown>) => {
      const id = (v: unknown) => String((v as { id?: unknown } | undefined)?.id ?? v);
      if (vendor === 'connectwise')
        return { company: id(t.company), contact: id(t.contact), queue: id(t.board), status: id(t.status) };
      if (vendor === 'autotask')
        return {
          company: id(t.companyID),
          contact: id(t.contactID),
          queue: id(t.queueID),
          status: id(t.status),
        };
      return { company: id(t.client_id), contact: id(t.user_id), queue: id(t.team), status: id(t.status_id) };
    };
    /** Notes autotier wrote on a PSA ticket (its marker), and whether the vendor keeps each internal. */
    const autotierNotes = (key: string) =>
      (psa.notes.get(key) ?? [])
        .filter((n) => /\[autotier T-\d+ /.test(String(n.text ?? n.description ?? n.note)))
        .map((n) => ({
          text: String(n.text ?? n.description ?? n.note),
          internal:
            vendor === 'connectwise'
              ? n.internalAnalysisFlag === true && n.detailDescriptionFlag !== true
              : vendor === 'autotask'
                ? n.publish === 2
                : n.hiddenfromuser === true,
        }));

    /** Files through the portal form as a browser without script does; answers with the status page. */
    let portalIp = 0;
    const fileByPortal = async (email: string, subject: string, description: string) => {
      const base = app.rt.runtime.url;
      const form = /name="form" value="([^"]+)"/.exec(
        await (await realFetch(`${base}/api/portal/demo`, { headers: { accept: 'text/html' } })).text(),
      )?.[1];
      assert.ok(form, 'the portal page carries a form token');
      const res = await realFetch(`${base}/api/portal/demo/tickets`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': `198.51.100.${++portalIp}`,
        },
        body: new URLSearchParams({ form, email, name: 'Dana Cole', subject, description }).toString(),
      });
      assert.equal(res.status, 303);
      await app.rt.runtime.drain();
      const statusUrl = res.headers.get('location') ?? '';
      return { ticketId: /tickets\/(T-\d+)/.exec(statusUrl)?.[1] ?? '', statusUrl };
    };
    /** Sends a raw MIME mail to the support mailbox's inbound route (SendGrid or a Logic App). */
    const mailIn = async (mime: string) => {
      const res = await realFetch(`${app.rt.runtime.url}/api/mail/inbound`, {
        method: 'POST',
        headers: {
          'content-type': 'message/rfc822',
          authorization: `Basic ${Buffer.from(MAIL_INTAKE).toString('base64')}`,
        },
        body: mime,
      });
      assert.equal(res.status, 202);
      await app.rt.runtime.drain();
    };
    const mime = (email: string, subject: string, body: string, messageId: string, inReplyTo?: string) =>
      [
        `From: "Dana Cole" <${email}>`,
        'To: support@msp.example',
        `Subject: ${subject}`,
        'Date: Mon, 02 Mar 2026 09:58:00 +0000',
        `Message-ID: <${messageId}>`,
        ...(inReplyTo ? [`In-Reply-To: <${inReplyTo}>`, `References: <${inReplyTo}>`] : []),
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        body,
        '',
      ].join('\r\n');

    for (const channel of ['portal', 'mail'] as const)
      it(`opens a ticket filed through the ${channel} in the PSA once, writes autotier’s work back to it, and a close there resolves it`, async () => {
        const n = channel === 'portal' ? 4411 : 4412;
        const email = `dana.${n}@demo.example`;
        contact(n, email);
        const subject = 'Locked out of my account';
        const body = 'I typed my password wrong too many times.';
        let ticketId: string;
        let answerNo: () => Promise<void>;
        if (channel === 'portal') {
          const filed = await fileByPortal(email, subject, body);
          ticketId = filed.ticketId;
          answerNo = async () => {
            const res = await realFetch(filed.statusUrl, {
              method: 'POST',
              headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({ action: 'no' }).toString(),
            });
            assert.equal(res.status, 200);
            await app.rt.runtime.drain();
          };
        } else {
          await mailIn(mime(email, subject, body, `first-${n}-${vendor}@demo.example`));
          // The same mail again (a redelivery) changes nothing.
          await mailIn(mime(email, subject, body, `first-${n}-${vendor}@demo.example`));
          const ack = (await app.api.mails(email)).find((m) => m.subject.includes("We've got your request"));
          ticketId = /\[#(T-\d+)\]/.exec(ack?.subject ?? '')?.[1] ?? '';
          answerNo = () =>
            mailIn(
              mime(
                email,
                `RE: [#${ticketId}] ${subject}`,
                'No, it still says my account is locked.',
                `reply-${n}-${vendor}@demo.example`,
                `first-${n}-${vendor}@demo.example`,
              ),
            );
        }
        assert.match(ticketId, /^T-\d+$/);
        assert.equal(
          ((await app.api.view(ticketId)) as unknown as { channel: string }).channel,
          channel === 'mail' ? 'email' : 'portal',
        );

        // Opened once in the PSA, for the client's company and the requester's contact, on tier 1.
        const found = opened(ticketId);
        assert.equal(found.length, 1, 'one PSA ticket');
        const [key] = found[0]!;
        const psaId = key.slice(vendor.length + 1);
        const fields = () => psaFields(psa.tickets.get(key)!);
        assert.deepEqual(
          { company: fields().company, contact: fields().contact, queue: fields().queue },
          { company: '250', contact: String(n), queue: '1' },
        );
        assert.ok(
          JSON.stringify(psa.tickets.get(key)).includes(`Filed by ${channel} with autotier as ${ticketId}`),
          'the description says where it came from',
        );
        // The guide went out: the PSA ticket waits on the requester.
        assert.equal(fields().status, '5', 'waiting on the requester while the guide is out');

        // The requester says it did not help, through the channel they came by: escalated.
        await answerNo();
        const view = await app.api.view(ticketId);
        assert.equal(view.stage, 'escalated');
        const notes = autotierNotes(key);
        assert.equal(
          notes.filter((x) => x.text.includes(`escalated ${ticketId} to tier`)).length,
          1,
          notes.map((x) => x.text).join('\n---\n'),
        );
        if (channel === 'mail')
          assert.equal(
            notes.filter((x) => x.text.startsWith('Requester replied: No, it still says')).length,
            1,
            'the mailed reply is on the PSA ticket',
          );
        assert.ok(notes.length > 0 && notes.every((x) => x.internal), 'autotier’s notes are internal');
        const tierQueue: Record<number, string> = { 1: '1', 2: '12', 3: '13' };
        assert.equal(fields().queue, tierQueue[view.tier], `moved to the tier-${view.tier} board/queue`);
        assert.equal(fields().status, '3', 'in progress');
        // The acknowledgement went out before the PSA ticket existed; the engineer's mail quotes its number.
        const number = String((psa.tickets.get(key)!.ticketNumber as string | undefined) ?? psaId);
        const told = await app.api.mails(email);
        const ack = told.find((m) => m.subject.includes("We've got your request"));
        assert.ok(ack && !ack.text.includes('with our service desk'), 'the ack never waits on the PSA');
        const engineerOnIt = told.filter((m) => m.subject.includes('An engineer is on it'));
        assert.equal(engineerOnIt.length, 1);
        assert.ok(
          engineerOnIt[0]!.text.includes(
            `ticket ${number} with our service desk (our reference ${ticketId})`,
          ),
          engineerOnIt[0]!.text,
        );
        assert.equal(opened(ticketId).length, 1, 'still one PSA ticket after every write-back');

        // An engineer closes it in the PSA with an internal note: resolved by the engineer in autotier.
        engineerWrites(psaId, 'INTERNAL: cleared the bad password count on DC01', 'internal');
        engineerSetsStatus(psaId, 8);
        assert.equal((await deliver(payload(Number(psaId), { action: updated }))).status, 202);
        const closed = (await app.api.view(ticketId)) as unknown as {
          stage: string;
          resolution: { by: string; note?: string };
        };
        assert.equal(closed.stage, 'resolved');
        assert.equal(closed.resolution.by, 'engineer');
        assert.match(closed.resolution.note ?? '', /cleared the bad password count/);
        const mails = await app.api.mails(email);
        assert.equal(mails.filter((m) => m.subject.startsWith(`[#${ticketId}] Resolved:`)).length, 1);
        assert.ok(
          !mails.some((m) => m.text.includes('INTERNAL')),
          'internal notes never reach the requester',
        );
        assert.equal(fields().status, '8', 'the engineer’s status stands');
      });

    if (vendor === 'connectwise')
      it('fetches signing keys only from the configured site, never another ConnectWise host or any other', async () => {
        psaTicket(608, 'kim.608@demo.example', 'Printer offline');
        const before = psa.requests.length;
        for (const keyUrl of [
          `${psa.url}/system/callbacks/key/k1`,
          'https://api-eu.myconnectwise.net/v4_6_release/apis/3.0/system/callbacks/key/k1',
          'https://evil.myconnectwise.net/v4_6_release/apis/3.0/system/callbacks/key/k1',
        ]) {
          const r = await deliver(payload(608, { keyUrl }));
          assert.deepEqual(r, { status: 401, body: { error: 'unauthorized' } }, keyUrl);
        }
        assert.equal(psa.requests.length, before, 'no request was made to the named URLs');
      });

    if (vendor === 'connectwise')
      it('forged callbacks with a new query string each time cost at most one key fetch, and a key that cannot be had is a 401', async () => {
        const keyFetches = () => psa.requests.filter((r) => r.path.includes('/system/callbacks/key/')).length;
        const before = keyFetches();
        for (let i = 0; i < 30; i++) {
          const forged = JSON.stringify(payload(609, { keyUrl: `${CW_API}/system/callbacks/key/k1?n=${i}` }));
          const res = await fetch(`${app.rt.runtime.url}/api/webhooks/connectwise`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-content-signature': 'Zm9yZ2Vk' },
            body: forged,
          });
          assert.equal(res.status, 401);
        }
        assert.ok(keyFetches() - before <= 1, `${keyFetches() - before} key fetches`);
        const unknown = await deliver(payload(609, { keyUrl: `${CW_API}/system/callbacks/key/no-such-key` }));
        assert.deepEqual(unknown, { status: 401, body: { error: 'unauthorized' } });
      });
  });
}
