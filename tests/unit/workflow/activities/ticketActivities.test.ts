import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ratingSigningKey, verifyConfirmToken } from '../../../../src/domain/confirmLink';
import type { KbArticle } from '../../../../src/domain/kb';
import type { SlaView } from '../../../../src/domain/sla';
import { acknowledgeAtOnce } from '../../../../src/intake/acknowledgeAtOnce';
import { DirectoryError } from '../../../../src/ports/directory';
import type { KnowledgeBase } from '../../../../src/ports/knowledgeBase';
import {
  createTicketActivities,
  type TicketActivityDeps,
} from '../../../../src/workflow/activities/ticketActivities';
import { firstGuideSla } from '../../../../src/workflow/activities/triage';
import {
  InMemoryTicketStore,
  MemoryAudit,
  MemoryClients,
  MemoryOutcomes,
  MemoryResolutions,
  RecordingMail,
  RecordingOps,
} from '../../../support/fakes';

const KEY = 'k'.repeat(40);
const sla: SlaView = {
  tier: 'standard',
  responseDue: '2026-03-02T11:00:00.000Z',
  paused: false,
  warned: false,
  breached: false,
};

async function setup(
  subject = 'VPN will not connect',
  body = 'FortiClient says the gateway is unreachable',
  extra: Partial<TicketActivityDeps> = {},
) {
  const tickets = new InMemoryTicketStore();
  const mail = new RecordingMail();
  const ops = new RecordingOps();
  const resolutions = new MemoryResolutions();
  const outcomes = new MemoryOutcomes();
  const activities = createTicketActivities({
    tickets,
    mail,
    clients: new MemoryClients(),
    notifier: ops,
    psa: ops,
    resolutions,
    outcomes,
    linkSigningKey: KEY,
    publicBaseUrl: 'http://localhost:7071',
    audit: new MemoryAudit(),
    ...extra,
  });
  const { ticket } = await tickets.create(
    {
      clientId: 'demo',
      requester: { name: 'Sam Lee', email: 'sam@demo.example' },
      subject,
      body,
      channel: 'api',
    },
    new Date('2026-03-02T10:00:00Z'),
  );
  return { tickets, mail, ops, resolutions, outcomes, activities, ticket, at: '2026-03-02T10:00:01.000Z' };
}

describe('ticket activities (run at least once, so each is idempotent)', () => {
  it('acknowledge sends one mail and one timeline entry however often it runs', async () => {
    const { activities, mail, tickets, ticket, at } = await setup();
    const first = await activities.acknowledge({ ticketId: ticket.ticketId, at });
    const again = await activities.acknowledge({ ticketId: ticket.ticketId, at });
    assert.deepEqual([first.sent, again.sent], [true, false]);
    assert.equal(mail.sent.length, 1);
    assert.equal((await tickets.timeline(ticket)).length, 1);
    assert.equal(first.context.slaTier, 'standard');
    assert.equal(first.context.businessHours.timeZone, 'Europe/London');
    assert.equal(first.context.lifecycle.tierLimitMinutes[1], 30);
  });

  it('acknowledge after the intake sent the mail: no second mail, and the records say when it went out', async () => {
    const { activities, mail, tickets, outcomes, ticket, at } = await setup();
    const acknowledge = acknowledgeAtOnce(mail, () => new Date('2026-03-02T10:00:00.200Z'));
    const acknowledgedAt = await acknowledge(ticket, () => assert.fail('the send should succeed'));
    assert.equal(acknowledgedAt, '2026-03-02T10:00:00.200Z');
    const result = await activities.acknowledge({ ticketId: ticket.ticketId, at, acknowledgedAt });
    assert.equal(result.sent, false);
    assert.equal(mail.sent.length, 1);
    const [entry] = await tickets.timeline(ticket);
    assert.equal(entry?.step, 'acknowledged');
    assert.equal(entry?.at, acknowledgedAt);
    assert.equal(outcomes.summaryOf.get(`demo|${ticket.ticketId}`)?.acknowledgedAt, acknowledgedAt);
  });

  it('triage records the acknowledgement and the classification in one step, sends nothing, and writes each once however often it runs', async () => {
    const { activities, mail, tickets, outcomes, ticket, at } = await setup();
    const acknowledgedAt = '2026-03-02T10:00:00.200Z';
    const first = await activities.triage({ ticketId: ticket.ticketId, at, acknowledgedAt });
    const again = await activities.triage({ ticketId: ticket.ticketId, at, acknowledgedAt });
    assert.deepEqual(again, first);
    assert.equal(mail.sent.length, 0, 'the intake sent the acknowledgement');
    assert.equal(first.context.clientId, 'demo');
    assert.equal(first.classification.category, 'vpn_remote_access');
    const saved = await tickets.get(ticket.ticketId);
    assert.equal(saved?.stage, 'classified');
    assert.equal(saved?.category, 'vpn_remote_access');
    const timeline = await tickets.timeline(ticket);
    assert.deepEqual(
      timeline.map((e) => [e.step, e.at]),
      [
        ['acknowledged', acknowledgedAt],
        ['classified', at],
      ],
    );
    const summary = outcomes.summaryOf.get(`demo|${ticket.ticketId}`);
    assert.equal(summary?.acknowledgedAt, acknowledgedAt);
    assert.equal(summary?.category, 'vpn_remote_access');
  });

  it('triage with the guide (version 3): the VPN guide goes out once, with the automation phase’s SLA view', async () => {
    const { activities, mail, tickets, outcomes, ticket, at } = await setup();
    const acknowledgedAt = '2026-03-02T10:00:00.200Z';
    const input = { ticketId: ticket.ticketId, at, acknowledgedAt, guide: true };
    const first = await activities.triage(input);
    const again = await activities.triage(input);
    assert.deepEqual(again, first);
    assert.deepEqual(first.playbook, {
      ran: true,
      articleId: 'builtin-vpn',
      title: 'Connecting with FortiClient',
    });
    assert.equal(mail.sent.length, 1, 'the guide, once; the intake sent the acknowledgement');
    assert.match(mail.sent[0]?.text ?? '', /Did this resolve your issue\?/);
    assert.equal(mail.sent[0]?.idempotencyKey, `${ticket.ticketId}.playbook-1`);
    const saved = await tickets.get(ticket.ticketId);
    assert.equal(saved?.stage, 'awaiting_confirmation');
    assert.deepEqual(saved?.sla, firstGuideSla(first.context, first.classification, Date.parse(at)));
    assert.equal(saved?.sla?.respondedAt, at);
    assert.equal(saved?.sla?.paused, true);
    assert.deepEqual(
      (await tickets.timeline(ticket)).map((e) => e.step),
      ['acknowledged', 'classified', 'playbook-1'],
    );
    assert.equal(outcomes.summaryOf.get(`demo|${ticket.ticketId}`)?.firstResponseBy, 'automation');
    // runPlaybook attempt 1 after it (a retried workflow step) finds the guide sent: nothing twice.
    await activities.runPlaybook({ ticketId: ticket.ticketId, at, attempt: 1, sla: saved.sla });
    assert.equal(mail.sent.length, 1);
  });

  it('triage with the guide leaves a throwing playbook to runPlaybook, and still records the classification', async () => {
    const { activities, mail, tickets, ticket, at } = await setup();
    const down = { send: () => Promise.reject(new TypeError('fetch failed for sam@demo.example')) };
    const { activities: mailDown } = await setup(undefined, undefined, { tickets, mail: down });
    const result = await mailDown.triage({
      ticketId: ticket.ticketId,
      at,
      acknowledgedAt: '2026-03-02T10:00:00.200Z',
      guide: true,
    });
    assert.equal(result.playbook, undefined);
    assert.equal(result.playbookFailed, 'TypeError', 'the error’s kind only: its text names the requester');
    assert.equal(result.classification.category, 'vpn_remote_access');
    assert.equal((await tickets.get(ticket.ticketId))?.stage, 'classified');
    const ran = await activities.runPlaybook({ ticketId: ticket.ticketId, at, attempt: 1, sla });
    assert.equal(ran.ran, true);
    assert.equal(mail.sent.length, 1);
  });

  it('triage with the guide does not run a playbook for a ticket a person must take', async () => {
    const { activities, mail, ticket, at } = await setup(
      'Server down',
      'The file server is down for the whole office',
    );
    const result = await activities.triage({
      ticketId: ticket.ticketId,
      at,
      acknowledgedAt: '2026-03-02T10:00:00.200Z',
      guide: true,
    });
    assert.equal(result.classification.route, 'escalate');
    assert.equal(result.playbook, undefined);
    assert.equal(mail.sent.length, 0);
  });

  it('classify records the result and raises a VIP requester', async () => {
    const { activities, tickets, ticket, at } = await setup(
      'Printer offline',
      'The printer on floor 2 shows offline',
    );
    await tickets.update(ticket.ticketId, () => ({ requester: { email: 'owner@demo.example' } }), new Date());
    const result = await activities.classify({ ticketId: ticket.ticketId, at, sla });
    assert.deepEqual((await tickets.get(ticket.ticketId))?.sla, sla);
    assert.equal(result.category, 'printer_peripheral');
    assert.equal(result.priority, 'P2');
    assert.ok(result.reasons.includes('VIP requester'));
    assert.equal((await tickets.get(ticket.ticketId))?.stage, 'classified');
  });

  it('runPlaybook sends the client’s own guide with signed links, once', async () => {
    const { activities, mail, tickets, ticket, at } = await setup();
    await activities.classify({ ticketId: ticket.ticketId, at });
    const ran = await activities.runPlaybook({ ticketId: ticket.ticketId, at, attempt: 1, sla });
    await activities.runPlaybook({ ticketId: ticket.ticketId, at, attempt: 1, sla });
    assert.deepEqual(ran, { ran: true, articleId: 'builtin-vpn', title: 'Connecting with FortiClient' });
    assert.equal(mail.sent.length, 1);
    const sent = mail.sent[0];
    assert.match(sent?.text ?? '', /Did this resolve your issue\?/);
    assert.doesNotMatch(sent?.text ?? '', /password:/i);
    const link =
      /(http:\/\/localhost:7071\/api\/tickets\/T-\d+\/confirm\?token=[^&\s]+&answer=yes)/.exec(
        sent?.text ?? '',
      )?.[1] ?? '';
    const token = decodeURIComponent(new URL(link).searchParams.get('token') ?? '');
    assert.ok(verifyConfirmToken(token, ticket.ticketId, KEY, Date.parse(at)).ok);
    assert.equal((await tickets.get(ticket.ticketId))?.stage, 'awaiting_confirmation');
  });

  it('runPlaybook hands over with the playbook’s reason; the package and the requester’s mail say why', async () => {
    const { activities, mail, tickets, ticket, at } = await setup(
      'Sage 50 error',
      'It shows error 0x80070005',
    );
    await tickets.update(ticket.ticketId, () => ({ category: 'software_error' }), new Date(at));
    const ran = await activities.runPlaybook({ ticketId: ticket.ticketId, at, attempt: 1, sla });
    assert.deepEqual(ran, {
      ran: false,
      reason: 'no documented fix in the knowledge base matches this error',
      told: 'This error needs a closer look, so one of our engineers will pick it up.',
    });
    assert.equal(mail.sent.length, 0);
    assert.equal((await tickets.get(ticket.ticketId))?.playbook?.stoppedBecause, ran.ran ? '' : ran.reason);
    await activities.escalate({
      ticketId: ticket.ticketId,
      at,
      step: 'escalation-0-1',
      tier: 1,
      reason: ran.ran ? '' : ran.reason,
      answer: 'none',
      sla,
    });
    const pkg = (await tickets.get(ticket.ticketId))?.escalation;
    assert.equal(pkg?.automation.playbook?.name, 'Documented fix for a known error');
    assert.equal(pkg?.automation.attempted, 'Documented fix for a known error (stopped)');
    await activities.sendUpdate({
      ticketId: ticket.ticketId,
      at,
      kind: 'escalated',
      step: 'escalated-0',
      text: ran.ran ? '' : ran.told,
    });
    assert.match(mail.sent[0]?.text ?? '', /This error needs a closer look/);
  });

  it('runPlaybook sends the article’s pictures inline, and leaves out a missing one', async () => {
    const printerGuide: KbArticle = {
      articleId: 'hp',
      clientId: 'demo',
      category: 'printer_peripheral',
      title: 'HP printer offline',
      steps: ['Press the power button.'],
      tags: [],
      images: ['demo/hp/panel.png', 'demo/hp/missing.png'],
      uses: 0,
      successes: 0,
      updatedAt: '2026-03-01T00:00:00Z',
    };
    const kb: KnowledgeBase = {
      put: () => Promise.resolve(),
      forClient: () => Promise.resolve([printerGuide]),
      all: () => Promise.resolve([printerGuide]),
      recordOutcome: () => Promise.resolve(),
    };
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const { activities, mail, tickets, ticket, at } = await setup('Printer offline', 'It says offline', {
      kb,
      kbImages: {
        read: (name) =>
          Promise.resolve(
            name.endsWith('panel.png') ? { content: png, contentType: 'image/png' } : undefined,
          ),
      },
    });
    await tickets.update(ticket.ticketId, () => ({ category: 'printer_peripheral' }), new Date(at));
    await activities.runPlaybook({ ticketId: ticket.ticketId, at, attempt: 1, sla });
    const sent = mail.sent[0];
    assert.deepEqual(sent?.images, [
      {
        contentId: 'step-picture-1',
        name: 'panel.png',
        contentType: 'image/png',
        contentBase64: png.toString('base64'),
      },
    ]);
    assert.match(sent?.html ?? '', /<img src="cid:step-picture-1" alt="Picture 1 for the steps"/);
  });

  it('runPlaybook hands over, without retrying, when the client’s directory connection cannot work', async () => {
    const { activities, tickets, ticket, at } = await setup('Forgot my password', 'I cannot sign in', {
      directoryFor: () => {
        throw new DirectoryError(
          'rejected',
          "the client's directory connection is incomplete: appId is missing",
        );
      },
    });
    await tickets.update(ticket.ticketId, () => ({ category: 'password_reset' }), new Date(at));
    const ran = await activities.runPlaybook({ ticketId: ticket.ticketId, at, attempt: 1, sla });
    assert.deepEqual(ran, {
      ran: false,
      reason: "the client's directory connection is incomplete: appId is missing",
      told: undefined,
    });
  });

  it('escalate builds the full package, stores it, writes it to the PSA and notifies the tier once', async () => {
    const { activities, tickets, ops, resolutions, ticket, at } = await setup();
    await resolutions.record({
      ticketId: 'T-0900',
      clientId: 'demo',
      category: 'vpn_remote_access',
      outcome: 'resolved_by_engineer',
      subject: 'FortiClient gateway unreachable',
      summary: 'Renewed the VPN gateway certificate',
      at,
    });
    await activities.classify({ ticketId: ticket.ticketId, at });
    await activities.recordReply({
      ticketId: ticket.ticketId,
      at,
      step: 'reply-1',
      from: 'sam@demo.example',
      text: 'Still broken',
      meaning: 'no',
      tier: 1,
      notify: false,
    });
    const input = {
      ticketId: ticket.ticketId,
      at,
      step: 'escalation-0-1',
      tier: 1,
      reason: 'the requester said the guide did not fix it',
      answer: 'no' as const,
      sla,
    };
    await activities.escalate(input);
    await activities.escalate(input);
    const stored = await tickets.get(ticket.ticketId);
    const pkg = stored?.escalation;
    assert.equal(stored?.stage, 'escalated');
    assert.equal(pkg?.automation.requesterAnswer, 'no');
    assert.deepEqual(
      pkg?.conversation.map((c) => c.text),
      ['FortiClient says the gateway is unreachable', 'Still broken'],
    );
    assert.equal(pkg?.systemProfile.vpnProduct, 'FortiClient');
    assert.equal(pkg?.similarTickets[0]?.ticketId, 'T-0900');
    assert.ok((pkg?.suggestedSteps.length ?? 0) > 0);
    assert.ok(ops.log.has('psa|escalation-0-1'));
    assert.equal([...ops.log.keys()].filter((k) => k.startsWith('notify|')).length, 1);
  });

  it('every other activity, run twice, mails once, notes once and writes back once', async () => {
    const { activities, mail, tickets, ops, resolutions, ticket, at } = await setup();
    await activities.classify({ ticketId: ticket.ticketId, at, sla });
    const id = ticket.ticketId;
    const steps = [
      () => activities.runPlaybook({ ticketId: id, at, attempt: 1, sla }),
      () => activities.sendUpdate({ ticketId: id, at, kind: 'reminder', step: 'reminder-1' }),
      () =>
        activities.recordReply({
          ticketId: id,
          at,
          step: 'reply-1',
          from: 'sam@demo.example',
          text: 'still broken',
          meaning: 'no',
          tier: 1,
          notify: true,
        }),
      () =>
        activities.escalate({
          ticketId: id,
          at,
          step: 'escalation-0-1',
          tier: 1,
          reason: 'no',
          answer: 'no',
          sla,
        }),
      () =>
        activities.sendUpdate({
          ticketId: id,
          at,
          kind: 'escalated',
          step: 'escalated-0',
          expectBy: '2026-03-02T14:00:00Z',
        }),
      () =>
        activities.notifyTier({
          ticketId: id,
          at,
          key: 'sla_warning-1',
          kind: 'sla_warning',
          tier: 1,
          message: '75%',
        }),
      () => activities.updateTicket({ ticketId: id, at, step: 'tier-2', tier: 2, note: 'handed up' }),
      () =>
        activities.recordOutcome({
          ticketId: id,
          at,
          step: 'resolved-by-engineer-0',
          outcome: 'resolved_by_engineer',
          summary: 'fixed',
          sla,
        }),
      () => activities.sendUpdate({ ticketId: id, at, kind: 'resolved', step: 'resolved-0', text: 'fixed' }),
    ];
    for (const step of steps) await step();
    const once = {
      mails: mail.sent.length,
      timeline: (await tickets.timeline(ticket)).length,
      ops: ops.log.size,
      said: (await tickets.conversation(ticket)).length,
      outcomes: resolutions.records.size,
    };
    for (const step of steps) await step();
    assert.deepEqual(
      {
        mails: mail.sent.length,
        timeline: (await tickets.timeline(ticket)).length,
        ops: ops.log.size,
        said: (await tickets.conversation(ticket)).length,
        outcomes: resolutions.records.size,
      },
      once,
    );
    assert.deepEqual(once, { mails: 4, timeline: 10, ops: 8, said: 1, outcomes: 2 });
  });

  it('records each step that matters as an outcome event, once however often it runs', async () => {
    const { activities, outcomes, ticket, at } = await setup();
    const id = ticket.ticketId;
    const later = (minutes: number) => new Date(Date.parse(at) + minutes * 60_000).toISOString();
    const steps = [
      () => activities.acknowledge({ ticketId: id, at }),
      () => activities.classify({ ticketId: id, at }),
      () => activities.runPlaybook({ ticketId: id, at, attempt: 1, sla }),
      () =>
        activities.escalate({
          ticketId: id,
          at: later(60),
          step: 'escalation-0-1',
          tier: 1,
          reason: 'the requester said the guide did not fix it',
          answer: 'no',
          sla,
        }),
      () =>
        activities.updateTicket({
          ticketId: id,
          at: later(90),
          step: 'tier-2',
          tier: 2,
          note: 'handed up',
          outcome: 'handed_up',
        }),
      () =>
        activities.updateTicket({
          ticketId: id,
          at: later(95),
          step: 'plan-0-1',
          tier: 2,
          note: 'internal',
          outcome: 'plan',
        }),
      () => activities.sendUpdate({ ticketId: id, at: later(95), kind: 'plan', step: 'plan-0-1' }),
      () =>
        activities.sendUpdate({
          ticketId: id,
          at: later(100),
          kind: 'plan',
          step: 'plan-0-2',
          text: 'We are renewing the certificate.',
        }),
      () =>
        activities.updateTicket({
          ticketId: id,
          at: later(120),
          step: 'sla-breach',
          note: 'breached',
          outcome: 'sla_breach',
        }),
      () =>
        activities.recordOutcome({
          ticketId: id,
          at: later(130),
          step: 'resolved-by-engineer-0',
          outcome: 'resolved_by_engineer',
          summary: 'fixed',
          sla,
        }),
    ];
    for (const step of steps) await step();
    for (const step of steps) await step();
    const kinds = outcomes.eventsOf(id).map((e) => `${e.kind}@${e.step}`);
    assert.deepEqual(kinds, [
      'received@received',
      'acknowledged@acknowledged',
      'classified@classified',
      'playbook@playbook-1',
      'responded@responded-playbook-1',
      'answered@answer-escalation-0-1',
      'escalated@escalation-0-1',
      'handed_up@tier-2',
      'plan@plan-0-1',
      'responded@responded-plan-0-2',
      'sla_breach@sla-breach',
      'resolved@resolved-by-engineer-0',
    ]);
    const summary = [...outcomes.summaryOf.values()][0];
    assert.equal(summary?.firstResponseAt, at, 'the guide, not the plan without a public note');
    assert.equal(summary?.firstResponseBy, 'automation');
    assert.equal(summary?.responseDue, sla.responseDue);
    assert.deepEqual(summary?.answer, { answer: 'no', at: later(60) });
    assert.deepEqual(
      summary?.resolutions.map((r) => [r.by, r.cycle]),
      [['engineer', 0]],
    );
    assert.equal(summary?.slaBreachedAt, later(120));
  });

  it('the closing mails carry five signed rating links that cannot answer the confirmation question', async () => {
    const { activities, mail, ticket, at } = await setup();
    const id = ticket.ticketId;
    await activities.sendUpdate({ ticketId: id, at, kind: 'resolved', step: 'resolved', text: 'the steps' });
    await activities.sendUpdate({
      ticketId: id,
      at,
      kind: 'resolvedByEngineer',
      step: 'resolved-by-engineer-0',
    });
    await activities.sendUpdate({ ticketId: id, at, kind: 'closedUnconfirmed', step: 'closed-unconfirmed' });
    await activities.sendUpdate({ ticketId: id, at, kind: 'escalated', step: 'escalated-0' });
    assert.equal(mail.sent.length, 4);
    for (const sent of mail.sent.slice(0, 3)) {
      const links = [...(sent.text.matchAll(/(http\S+\/rate\?score=(\d)&token=\S+)/g) ?? [])];
      assert.deepEqual(
        links.map((m) => m[2]),
        ['1', '2', '3', '4', '5'],
        sent.subject,
      );
      assert.match(sent.text, /How did we do\?/);
      assert.match(sent.html, /<a href="http[^"]+\/rate\?score=5&amp;token=[^"]+"[^>]*>5 Great<\/a>/);
      const token = decodeURIComponent(new URL(links[0]?.[1] ?? '').searchParams.get('token') ?? '');
      assert.ok(verifyConfirmToken(token, id, ratingSigningKey(KEY), Date.parse(at)).ok);
      assert.equal(
        verifyConfirmToken(token, id, KEY, Date.parse(at)).ok,
        false,
        'a rating token is no confirmation token',
      );
    }
    assert.doesNotMatch(mail.sent[3]?.text ?? '', /rate\?score=/, 'only closing mails ask for a rating');
  });

  it('fails clearly for a ticket that does not exist', async () => {
    const { activities } = await setup();
    await assert.rejects(
      activities.acknowledge({ ticketId: 'T-4040', at: '2026-03-02T10:00:00Z' }),
      /ticket T-4040 not found/,
    );
  });
});
