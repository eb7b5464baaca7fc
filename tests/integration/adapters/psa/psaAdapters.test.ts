import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { RestApiError } from '../../../../src/adapters/http/restClient';
import { AutotaskApi } from '../../../../src/adapters/psa/autotaskApi';
import { ConnectWiseApi, ConnectWiseSigningKeys } from '../../../../src/adapters/psa/connectWiseApi';
import { HaloApi } from '../../../../src/adapters/psa/haloApi';
import { PsaWriteBack } from '../../../../src/adapters/psa/psaWriteBack';
import { DEMO_CLIENT } from '../../../../src/domain/client';
import { buildEscalationPackage } from '../../../../src/domain/escalation';
import { noteMarker, parsePsaMapping, psaExternalId, type PsaVendor } from '../../../../src/domain/psa';
import type { PsaApi } from '../../../../src/ports/psaApi';
import { FAKE_PSA_CREDENTIALS as C, type FakePsa, startFakePsa } from '../../../support/fakePsa';
import { InMemoryTicketStore, RecordingOps } from '../../../support/fakes';

const now = new Date('2026-03-02T10:00:00Z');

describe('PSA adapters against a server speaking each vendor API', () => {
  let psa: FakePsa;
  const sleeps: number[] = [];
  const options = () => ({ sleep: (ms: number) => (sleeps.push(ms), Promise.resolve()), timeoutMs: 300 });
  const apis: Record<PsaVendor, () => PsaApi> = {
    connectwise: () => new ConnectWiseApi({ baseUrl: psa.url, ...C.connectwise }, options()),
    autotask: () => new AutotaskApi({ baseUrl: psa.url, ...C.autotask }, options()),
    halopsa: () => new HaloApi({ baseUrl: psa.url, ...C.halopsa }, options()),
  };

  before(async () => {
    psa = await startFakePsa();
  });
  after(() => psa.close());
  beforeEach(() => {
    psa.tickets.clear();
    psa.notes.clear();
    sleeps.length = 0;
    psa.tickets.set('connectwise:501', {
      id: 501,
      summary: 'Outlook keeps asking for my password',
      company: { id: 250, identifier: 'DemoDental', name: 'Demo Dental Group' },
      contactName: 'Kim Park',
      contactEmailAddress: 'Kim.Park@demo.example',
      board: { id: 1 },
      status: { id: 1 },
    });
    psa.notes.set('connectwise:501', [
      { id: 1, text: 'Outlook prompts all morning', detailDescriptionFlag: true },
    ]);
    psa.tickets.set('autotask:7001', {
      id: 7001,
      ticketNumber: 'T20260302.0001',
      title: 'Outlook keeps asking for my password',
      description: 'Outlook prompts all morning',
      companyID: 250,
      contactID: 31,
      queueID: 8,
      status: 1,
    });
    psa.contacts.set('31', {
      id: 31,
      firstName: 'Kim',
      lastName: 'Park',
      emailAddress: 'kim.park@demo.example',
    });
    psa.tickets.set('halopsa:88', {
      id: 88,
      summary: 'Outlook keeps asking for my password',
      details: 'Outlook prompts all morning',
      client_id: 250,
      client_name: 'Demo Dental Group',
      user_name: 'Kim Park',
      user_email: 'kim.park@demo.example',
      status_id: 1,
    });
  });

  const ids: Record<PsaVendor, string> = { connectwise: '501', autotask: '7001', halopsa: '88' };

  for (const vendor of ['connectwise', 'autotask', 'halopsa'] as const) {
    describe(vendor, () => {
      it('fetches the full ticket with its company and contact', async () => {
        const t = await apis[vendor]().getTicket(ids[vendor]);
        assert.equal(t?.summary, 'Outlook keeps asking for my password');
        assert.equal(t?.description, 'Outlook prompts all morning');
        assert.equal(t?.contact.email?.toLowerCase(), 'kim.park@demo.example');
        assert.equal(t?.contact.name, 'Kim Park');
        assert.ok(t?.companyKeys.includes('250'), `company keys ${t?.companyKeys.join(',')}`);
        if (vendor === 'autotask') assert.equal(t?.number, 'T20260302.0001');
        assert.equal(await apis[vendor]().getTicket('999999'), undefined);
      });

      it('writes the escalation note once and moves the ticket to the tier queue, however often it is retried', async () => {
        const tickets = new InMemoryTicketStore();
        const { ticket } = await tickets.create(
          {
            clientId: 'demo',
            requester: { email: 'kim.park@demo.example' },
            subject: 'Outlook keeps asking for my password',
            body: 'Outlook prompts all morning',
            externalId: psaExternalId(vendor, ids[vendor]),
            channel: vendor,
          },
          now,
        );
        const mapping = parsePsaMapping(
          JSON.stringify({ tiers: { 2: '12' }, statuses: { in_progress: '3', resolved: '7' } }),
        );
        const recorded = new RecordingOps();
        const writeBack = new PsaWriteBack(apis[vendor](), mapping, tickets, recorded);
        const pkg = buildEscalationPackage({
          ticket: { ...ticket, category: 'password_reset', priority: 'P3', confidence: 0.4 },
          timeline: [],
          conversation: [
            { at: now.toISOString(), from: 'kim.park@demo.example', text: 'Outlook prompts all morning' },
          ],
          client: DEMO_CLIENT,
          similar: [],
          tier: 2,
          reason: 'the requester said the guide did not help',
          attempted: 'Reset your password',
          answer: 'no',
          at: now.toISOString(),
        });
        psa.fail({ status: 429, retryAfter: '2' }); // throttled once: waits as asked, then goes on
        await writeBack.escalate(pkg, 'escalate-2');
        await writeBack.escalate(pkg, 'escalate-2');
        await writeBack.setStatus(ticket.ticketId, 'resolved', 'close');
        const written = (psa.notes.get(`${vendor}:${ids[vendor]}`) ?? []).filter((n) =>
          JSON.stringify(n).includes(noteMarker(ticket.ticketId, 'escalate-2')),
        );
        assert.equal(written.length, 1, 'one escalation note');
        const text = JSON.stringify(written[0]);
        assert.match(text, /escalated T-\d+ to tier 2: the requester said the guide did not help/);
        assert.match(text, /Suggested steps/);
        assert.equal(sleeps[0], 2000);
        const t = psa.tickets.get(`${vendor}:${ids[vendor]}`)!;
        if (vendor === 'connectwise') {
          assert.deepEqual(t.board, { id: 12 });
          assert.deepEqual(t.status, { id: 7 });
          assert.equal((written[0] as { internalAnalysisFlag?: boolean }).internalAnalysisFlag, true);
        } else if (vendor === 'autotask') {
          assert.equal(t.queueID, 12);
          assert.equal(t.status, 7);
          assert.equal((written[0] as { publish?: number }).publish, 2, 'Internal Only');
        } else {
          assert.equal(t.team, '12');
          assert.equal(t.status_id, 7);
          assert.equal((written[0] as { hiddenfromuser?: boolean }).hiddenfromuser, true);
        }
        assert.ok(recorded.log.has('psa|escalate-2') && recorded.log.has('psa|close'));
      });

      it('opens a mail ticket in the PSA once: a retry that lost the recorded id finds it by its reference', async () => {
        const mapping = parsePsaMapping(
          JSON.stringify({ companies: { '250': 'demo' }, tiers: { 1: '1' }, statuses: { in_progress: '3' } }),
        );
        const mailTicket = async (store: InMemoryTicketStore) =>
          (
            await store.create(
              {
                clientId: 'demo',
                requester: { name: 'Lee Ross', email: 'lee@demo.example' },
                subject: 'Scanner will not send to email',
                body: 'Since Monday the scanner says SMTP error.',
                channel: 'email',
              },
              now,
            )
          ).ticket;
        const tickets = new InMemoryTicketStore();
        const ticket = await mailTicket(tickets);
        const first = await new PsaWriteBack(apis[vendor](), mapping, tickets, new RecordingOps()).open(
          ticket.ticketId,
        );
        assert.ok(first?.created);
        const psaTicket = psa.tickets.get(`${vendor}:${first.ref.id}`);
        assert.ok(psaTicket, 'opened in the PSA');
        const summary = String(vendor === 'autotask' ? psaTicket.title : psaTicket.summary);
        assert.match(summary, /^Scanner will not send to email \(autotier T-\d+\)$/);
        assert.equal((await tickets.get(ticket.ticketId))?.psaTicket?.id, first.ref.id, 'kept on the ticket');
        assert.equal(
          (await tickets.findByExternalId('demo', psaExternalId(vendor, first.ref.id)))?.ticketId,
          ticket.ticketId,
          'the PSA id names the ticket',
        );
        // The same step again, its earlier record lost (stopped between the PSA and storage).
        const retried = new InMemoryTicketStore();
        await mailTicket(retried);
        const again = await new PsaWriteBack(apis[vendor](), mapping, retried, new RecordingOps()).open(
          ticket.ticketId,
        );
        assert.equal(again?.created, false);
        assert.equal(again?.ref.id, first.ref.id);
        assert.equal(
          [...psa.tickets.keys()].filter((k) => k.startsWith(`${vendor}:9`)).length,
          1,
          'one PSA ticket',
        );
        // Write-backs go to it.
        await new PsaWriteBack(apis[vendor](), mapping, retried, new RecordingOps()).addNote(
          ticket.ticketId,
          'Requester replied: still failing',
          'reply-1',
        );
        const notes = (psa.notes.get(`${vendor}:${first.ref.id}`) ?? []).map((n) => JSON.stringify(n));
        assert.ok(
          notes.some((n) => n.includes('still failing')),
          notes.join('\n'),
        );
      });

      it('only records write-backs for tickets of a client whose PSA company is not mapped', async () => {
        const tickets = new InMemoryTicketStore();
        const { ticket } = await tickets.create(
          {
            clientId: 'demo',
            requester: { email: 'a@demo.example' },
            subject: 's',
            body: 'b',
            channel: 'email',
          },
          now,
        );
        const recorded = new RecordingOps();
        const before = psa.requests.length;
        await new PsaWriteBack(apis[vendor](), parsePsaMapping(undefined), tickets, recorded).addNote(
          ticket.ticketId,
          'hello',
          'k1',
        );
        assert.equal(psa.requests.length, before);
        assert.equal(recorded.log.get('psa|k1'), 'hello');
      });

      it('gives up with a clear error after repeated server errors, and on a timeout', async () => {
        psa.fail({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
        await assert.rejects(apis[vendor]().noteTexts(ids[vendor]), (err: unknown) => {
          assert.ok(err instanceof RestApiError);
          assert.equal(err.status, 503);
          assert.match(err.message, new RegExp(`^${vendor} GET .* answered 503$`));
          return true;
        });
        assert.equal(sleeps.length, 3, 'three back-offs between four attempts');
        psa.fail({ status: 0, hang: true });
        const api =
          vendor === 'connectwise'
            ? new ConnectWiseApi({ baseUrl: psa.url, ...C.connectwise }, { timeoutMs: 200, maxAttempts: 1 })
            : vendor === 'autotask'
              ? new AutotaskApi({ baseUrl: psa.url, ...C.autotask }, { timeoutMs: 200, maxAttempts: 1 })
              : new HaloApi({ baseUrl: psa.url, ...C.halopsa }, { timeoutMs: 200, maxAttempts: 1 });
        await assert.rejects(api.noteTexts(ids[vendor]), /timed out/);
      });

      it('is refused with wrong credentials', async () => {
        const api =
          vendor === 'connectwise'
            ? new ConnectWiseApi({ baseUrl: psa.url, ...C.connectwise, privateKey: 'wrong' }, options())
            : vendor === 'autotask'
              ? new AutotaskApi({ baseUrl: psa.url, ...C.autotask, secret: 'wrong' }, options())
              : new HaloApi({ baseUrl: psa.url, ...C.halopsa, clientSecret: 'wrong' }, options());
        await assert.rejects(api.getTicket(ids[vendor]), /401/);
      });
    });
  }

  it('reads an Autotask note as customer-facing only when published to All Autotask Users', async () => {
    // TicketNote publish: 1 All Autotask Users, 2 Internal Only, 3 Internal & Co-managed.
    psa.notes.set('autotask:7001', [
      { id: 1, description: 'All users', noteType: 1, publish: 1, creatorResourceID: 1234 },
      { id: 2, description: 'Internal only', noteType: 1, publish: 2, creatorResourceID: 1234 },
      { id: 3, description: 'Co-managed', noteType: 1, publish: 3, creatorResourceID: 1234 },
    ]);
    const state = await apis.autotask().ticketState('7001');
    assert.deepEqual(
      state?.activity.filter((a) => a.kind === 'note').map((a) => [a.text, a.public]),
      [
        ['All users', true],
        ['Internal only', false],
        ['Co-managed', false],
      ],
    );
  });

  it('writes every Autotask note Internal Only', async () => {
    await apis.autotask().addNote('7001', 'Requester replied: the VPN still drops\n\n[autotier T-1 reply-1]');
    const [note] = psa.notes.get('autotask:7001') ?? [];
    assert.equal(note?.publish, 2);
    assert.equal(note?.ticketID, 7001);
  });

  it('fetches a ConnectWise signing key with the API credentials, once per hour', async () => {
    const keys = new ConnectWiseSigningKeys({ baseUrl: psa.url, ...C.connectwise });
    const before = psa.requests.length;
    assert.equal(await keys.get(`${psa.url}/system/callbacks/key/k1`), C.connectWiseSigningKey);
    assert.equal(await keys.get(`${psa.url}/system/callbacks/key/k1`), C.connectWiseSigningKey);
    assert.equal(psa.requests.length, before + 1);
  });

  it('limits fetches of ConnectWise keys it does not have to 10 a minute', async () => {
    let now = Date.parse('2026-03-02T10:00:00Z');
    const keys = new ConnectWiseSigningKeys(
      { baseUrl: psa.url, ...C.connectwise },
      undefined,
      undefined,
      10,
      () => now,
    );
    const before = psa.requests.length;
    for (let i = 0; i < 15; i++)
      await assert.rejects(keys.get(`${psa.url}/system/callbacks/key/unknown-${i}`));
    assert.equal(psa.requests.length - before, 10, 'the rest were refused without a call');
    now += 61_000;
    assert.equal(await keys.get(`${psa.url}/system/callbacks/key/k1`), C.connectWiseSigningKey);
  });
});
