import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DEFAULT_LIFECYCLE, HOUR, MINUTE } from '../../../../src/domain/lifecycle';
import type { PlaybookResult } from '../../../../src/workflow/activities/ticketActivities';
import { firstGuideSla } from '../../../../src/workflow/activities/triage';
import { classification, clientContext, failWith, WorkflowHarness } from '../../../support/workflowHarness';

const DAY = 24 * HOUR;
const h = WorkflowHarness.get();
const START = ['acknowledge', 'classify', 'runPlaybook'];
const escalateRoute = (overrides = {}) => ({
  classify: () =>
    Promise.resolve(
      classification({ route: 'escalate', reasons: ['needs engineering judgment'], ...overrides }),
    ),
});

/** The ticket was handed over for this reason (and answer), and shows as escalated. */
async function assertEscalated(id: string, reason: string, answer?: string): Promise<void> {
  const escalation = h.inputsOf('escalate')[0];
  assert.equal(escalation?.reason, reason);
  if (answer) assert.equal(escalation?.answer, answer);
  assert.equal((await h.status(id)).custom.stage, 'escalated');
}

describe('the ticket workflow (real orchestrator, stub activities, in-memory durable store)', () => {
  it('yes: resolved, told, and closed when the reopen window passes', async () => {
    const id = await h.start();
    assert.deepEqual(h.steps(), START);
    assert.equal((await h.status(id)).custom.stage, 'awaiting_confirmation');
    await h.raise(id, { kind: 'confirmation', answer: 'yes' });
    assert.deepEqual(h.steps().slice(3), ['recordOutcome:resolved', 'sendUpdate:resolved']);
    assert.equal(h.inputsOf('recordOutcome')[0]?.outcome, 'resolved_confirmed');
    assert.equal(h.inputsOf('sendUpdate')[0]?.text, 'Reset your password');
    assert.deepEqual((await h.status(id)).custom.phase, 'closed');
    await h.advance(DEFAULT_LIFECYCLE.reopenWindowDays * DAY);
    assert.deepEqual(h.steps().slice(5), ['updateTicket:closed']);
    assert.equal(h.inputsOf('updateTicket')[0]?.stage, 'closed');
    const done = await h.status(id);
    assert.equal(done.runtimeStatus, 'Completed');
    assert.deepEqual(done.output, {
      ticketId: id,
      stage: 'closed',
      category: 'password_reset',
      tier: 1,
      reopens: 0,
    });
  });

  it('no: escalated to tier 1 with the answer, the requester told when to expect a fix', async () => {
    const id = await h.start();
    await h.raise(id, { kind: 'confirmation', answer: 'no' });
    assert.deepEqual(h.steps().slice(3), ['escalate:escalation-0-1', 'sendUpdate:escalated-0']);
    await assertEscalated(id, 'the requester said the guide did not fix it', 'no');
  });

  it('silence under the escalate policy: a reminder, then a person', async () => {
    const id = await h.start();
    await h.advance(DEFAULT_LIFECYCLE.reminderAfterHours * HOUR);
    assert.deepEqual(h.steps().slice(3), ['sendUpdate:reminder-1']);
    await h.advance(DEFAULT_LIFECYCLE.silenceAfterHours * HOUR);
    assert.deepEqual(h.steps().slice(4), ['escalate:escalation-0-1', 'sendUpdate:escalated-0']);
    assert.equal(h.inputsOf('escalate')[0]?.answer, 'silence');
    assert.equal(h.inputsOf('escalate')[0]?.reason, 'the requester did not answer after a reminder');
    assert.equal((await h.status(id)).custom.phase, 'escalated');
  });

  it('silence under the close policy: closed as resolved-unconfirmed, and done after the window', async () => {
    const id = await h.start({
      classify: () => Promise.resolve(classification({ category: 'printer_peripheral' })),
    });
    await h.advance((DEFAULT_LIFECYCLE.reminderAfterHours + DEFAULT_LIFECYCLE.silenceAfterHours) * HOUR);
    assert.deepEqual(h.steps().slice(3), [
      'sendUpdate:reminder-1',
      'recordOutcome:closed-unconfirmed',
      'sendUpdate:closed-unconfirmed',
    ]);
    assert.equal((await h.status(id)).custom.stage, 'closed');
    await h.advance(DEFAULT_LIFECYCLE.reopenWindowDays * DAY);
    assert.equal(h.steps().length, 6, 'a ticket closed unconfirmed is not closed twice');
    assert.equal((await h.status(id)).runtimeStatus, 'Completed');
  });

  it('an unclear reply gets one clarifying question; a second unclear one goes to a person', async () => {
    const id = await h.start();
    await h.raise(id, { kind: 'reply', from: 'user@acme.test', text: 'ok?' });
    assert.deepEqual(h.steps().slice(3), ['recordReply:reply-1', 'sendUpdate:clarify-1']);
    assert.equal(h.inputsOf('recordReply')[0]?.meaning, 'unclear');
    assert.equal(h.inputsOf('sendUpdate')[0]?.stage, 'awaiting_confirmation');
    await h.raise(id, { kind: 'reply', from: 'user@acme.test', text: 'hmm?' });
    assert.deepEqual(h.steps().slice(5), [
      'recordReply:reply-2',
      'escalate:escalation-0-1',
      'sendUpdate:escalated-0',
    ]);
    await assertEscalated(id, 'the requester replied and a person should read it', 'unclear');
  });

  it('a late yes after escalation resolves the ticket', async () => {
    const id = await h.start();
    await h.raise(id, { kind: 'confirmation', answer: 'no' });
    await h.raise(id, { kind: 'confirmation', answer: 'yes' });
    assert.deepEqual(h.steps().slice(5), ['recordOutcome:resolved-late-0', 'sendUpdate:resolved-late-0']);
    assert.equal((await h.status(id)).custom.stage, 'resolved');
  });

  it('tier time limits chain from tier 1 to 3, then the last tier is alerted', async () => {
    const id = await h.start(escalateRoute());
    assert.deepEqual(h.steps(), [
      'acknowledge',
      'classify',
      'escalate:escalation-0-1',
      'sendUpdate:escalated-0',
    ]);
    await h.advance(30 * MINUTE);
    await h.advance(60 * MINUTE);
    await h.advance(120 * MINUTE);
    const afterEscalation = h.calls
      .slice(4)
      .filter((c) => c.name !== 'notifyTier' || c.input.kind !== 'sla_warning');
    assert.deepEqual(
      afterEscalation
        .map((c) => `${c.name}:${String(c.input.step ?? c.input.key)}`)
        .filter((s) => !s.includes('sla')),
      [
        'updateTicket:tier-2',
        'notifyTier:tier_handoff-1',
        'sendUpdate:handed-up-2',
        'updateTicket:tier-3',
        'notifyTier:tier_handoff-2',
        'sendUpdate:handed-up-3',
        'notifyTier:tier_limit_passed-4',
      ],
    );
    assert.equal((await h.status(id)).custom.tier, 3);
  });

  it('the SLA warns at 75% of the resolution time and alerts on breach', async () => {
    const id = await h.start(escalateRoute({ tier: 3 }));
    await h.advance(180 * MINUTE);
    const warning = h.inputsOf('notifyTier').find((n) => n.kind === 'sla_warning');
    assert.ok(warning, 'warned at 3 h of a 4 h resolution time');
    assert.equal(h.inputsOf('updateTicket').find((u) => u.step === 'sla-warning')?.outcome, 'sla_warning');
    assert.equal(
      h.inputsOf('notifyTier').some((n) => n.kind === 'sla_breach'),
      false,
    );
    await h.advance(60 * MINUTE);
    assert.ok(h.inputsOf('notifyTier').some((n) => n.kind === 'sla_breach'));
    const breach = h.inputsOf('updateTicket').find((u) => u.step === 'sla-breach');
    assert.equal((breach?.sla as { breached?: boolean } | undefined)?.breached, true);
    assert.equal((await h.status(id)).custom.nextDeadlineIs, undefined, 'nothing is left to wait for');
  });

  it('a reply within the reopen window reopens and escalates; "thanks!" does not', async () => {
    const id = await h.start();
    await h.raise(id, { kind: 'confirmation', answer: 'yes' });
    await h.raise(id, { kind: 'reply', from: 'user@acme.test', text: 'Thanks, that worked!' });
    assert.deepEqual(h.steps().slice(5), ['recordReply:reply-1']);
    await h.raise(id, { kind: 'reply', from: 'user@acme.test', text: 'It is broken again, not working' });
    assert.deepEqual(h.steps().slice(6), [
      'recordReply:reply-2',
      'updateTicket:reopen-1',
      'notifyTier',
      'sendUpdate:reopened-1',
      'escalate:escalation-1-1',
      'sendUpdate:escalated-1',
    ]);
    assert.equal(h.inputsOf('updateTicket')[0]?.stage, 'escalated');
    await assertEscalated(id, 'the requester reopened the ticket after it was closed', 'no');
  });

  it('an event that arrives while the ticket is busy is not lost', async () => {
    const id = await h.start(escalateRoute());
    await h.fireNextTimer(); // the tier limit: the hand-up activities are scheduled, not yet run
    await h.raiseQuietly(id, { kind: 'plan', by: 'eng@msp.test', note: 'rebooting the VPN box' });
    await h.drain();
    assert.deepEqual(h.steps().slice(4), [
      'updateTicket:tier-2',
      'notifyTier',
      'sendUpdate:handed-up-2',
      'updateTicket:plan-0-1',
      'sendUpdate:plan-0-1',
    ]);
    assert.equal((await h.status(id)).custom.nextDeadlineIs, 'slaWarning', 'the plan stopped the tier timer');
  });

  it('an engineer who resolves while the requester is asked closes it as theirs, not the requester’s', async () => {
    const id = await h.start();
    await h.raise(id, {
      kind: 'resolved',
      by: 'eng@msp.test',
      note: 'reset it myself',
      publicNote: 'Fixed it for you',
    });
    assert.deepEqual(h.steps().slice(3), [
      'recordOutcome:resolved-by-engineer-awaiting',
      'sendUpdate:resolved-by-engineer-awaiting',
    ]);
    assert.equal(h.inputsOf('recordOutcome')[0]?.outcome, 'resolved_by_engineer');
    assert.equal(h.inputsOf('recordOutcome')[0]?.note, 'reset it myself');
    assert.equal(h.inputsOf('sendUpdate')[0]?.text, 'Fixed it for you');
    assert.equal((await h.status(id)).custom.stage, 'resolved');
  });

  it('a P1 pages the on-call around the clock until a plan is recorded', async () => {
    const id = await h.start(escalateRoute({ priority: 'P1' }));
    const pages = () => h.inputsOf('notifyTier').filter((n) => n.kind === 'p1_page');
    assert.equal(pages().length, 1);
    assert.equal(pages()[0]?.audience, 'oncall');
    assert.equal(pages()[0]?.key, 'p1-page-0-1');
    await h.advance(2 * 15 * MINUTE);
    assert.equal(pages().length, 3);
    await h.raise(id, { kind: 'plan', by: 'eng@msp.test', note: 'on it' });
    await h.advance(60 * MINUTE);
    assert.equal(pages().length, 3, 'a plan stops the pager');
  });
});

describe('each reason to escalate reaches the hand-over', () => {
  const reasonOf = () => h.inputsOf('escalate')[0]?.reason;

  it('the classifier routes it to a person', async () => {
    await h.start(escalateRoute({ reasons: ['low confidence', 'VIP requester'] }));
    assert.equal(reasonOf(), 'low confidence; VIP requester');
  });

  it('the classifier fails: a person decides', async () => {
    await h.start({
      classify: failWith('model missing'),
    });
    await h.advance(5 * MINUTE);
    assert.match(String(reasonOf()), /^autotier could not classify it \(.*model missing/);
  });

  it('the playbook stops, and the requester is told why', async () => {
    await h.start({
      runPlaybook: () =>
        Promise.resolve({
          ran: false as const,
          reason: 'account disabled by HR',
          told: 'HR must re-enable it',
        }),
    });
    assert.equal(reasonOf(), 'account disabled by HR');
    assert.equal(h.inputsOf('sendUpdate').at(-1)?.text, 'HR must re-enable it');
  });

  it('an activity fails every retry: a person takes over with the reason', async () => {
    await h.start({
      runPlaybook: failWith('PSA down'),
    });
    await h.advance(3 * HOUR);
    assert.match(String(reasonOf()), /^autotier could not finish the automation step \(.*PSA down/);
    assert.equal(h.inputsOf('escalate')[0]?.step, 'escalation-0-1-f1');
  });

  it('the hand-over itself fails: the tier is still alerted', async () => {
    await h.start({
      ...escalateRoute(),
      escalate: failWith('queue unavailable'),
    });
    await h.advance(2 * MINUTE); // four attempts, 5 s apart and doubling
    const alert = h.inputsOf('notifyTier').find((n) => n.kind === 'escalation');
    assert.match(String(alert?.message), /hand-over to the PSA failed: .*queue unavailable/);
    assert.deepEqual(h.steps().slice(-1), ['sendUpdate:escalated-0']);
  });

  it('uses the client context from the acknowledgement (business hours, tier limits)', async () => {
    const lifecycle = { ...DEFAULT_LIFECYCLE, tierLimitMinutes: { 1: 5, 2: 5, 3: 5 } };
    await h.start({
      ...escalateRoute(),
      acknowledge: () => Promise.resolve({ sent: true, context: clientContext({ lifecycle }) }),
    });
    await h.advance(5 * MINUTE);
    assert.ok(h.steps().includes('updateTicket:tier-2'));
  });
});

describe('version 2: a ticket the intake acknowledged is recorded and classified in one activity', () => {
  const ACKED = '2026-03-02T08:59:59.500Z';
  const v2 = { acknowledgedAt: ACKED, version: 2 };

  it('triage, then the playbook: one activity where version 1 takes two', async () => {
    const id = await h.start({}, v2);
    assert.deepEqual(h.steps(), ['triage', 'runPlaybook']);
    assert.equal(h.inputsOf('triage')[0]?.acknowledgedAt, ACKED);
    assert.equal((await h.status(id)).custom.stage, 'awaiting_confirmation');
  });

  it("uses triage's client context and classification", async () => {
    const lifecycle = { ...DEFAULT_LIFECYCLE, tierLimitMinutes: { 1: 5, 2: 5, 3: 5 } };
    await h.start(
      {
        triage: () =>
          Promise.resolve({
            context: clientContext({ lifecycle }),
            classification: classification({ route: 'escalate', reasons: ['server room'] }),
          }),
      },
      v2,
    );
    assert.deepEqual(h.steps(), ['triage', 'escalate:escalation-0-1', 'sendUpdate:escalated-0']);
    assert.equal(h.inputsOf('escalate')[0]?.reason, 'server room');
    await h.advance(5 * MINUTE);
    assert.ok(h.steps().includes('updateTicket:tier-2'));
  });

  it('triage fails every retry: the acknowledgement is recorded alone and a person decides', async () => {
    await h.start({ triage: failWith('table unavailable') }, v2);
    await h.advance(2 * MINUTE); // four attempts, 5 s apart and doubling
    const steps = h.steps();
    assert.deepEqual(
      steps.filter((s) => s !== 'triage'),
      ['acknowledge', 'escalate:escalation-0-1', 'sendUpdate:escalated-0'],
    );
    assert.equal(steps.filter((s) => s === 'triage').length, 4);
    assert.equal(h.inputsOf('acknowledge')[0]?.acknowledgedAt, ACKED, 'not sent again');
    assert.match(
      String(h.inputsOf('escalate')[0]?.reason),
      /^autotier could not classify it \(.*table unavailable/,
    );
  });

  it('an instance started before version 2 replays the two steps it began with', async () => {
    await h.start({}, { acknowledgedAt: ACKED });
    assert.deepEqual(h.steps(), START);
    assert.equal(h.inputsOf('acknowledge')[0]?.acknowledgedAt, ACKED);
  });

  it('version 2 without an acknowledgement from the intake: the activity sends it, then classify', async () => {
    await h.start({}, { version: 2 });
    assert.deepEqual(h.steps(), START);
    assert.equal(h.inputsOf('acknowledge')[0]?.acknowledgedAt, undefined);
  });
});

describe('version 3: triage also runs the first playbook of a ticket for automation', () => {
  const ACKED = '2026-03-02T08:59:59.500Z';
  const v3 = { acknowledgedAt: ACKED, version: 3 };
  const guided = (playbook: PlaybookResult) => () =>
    Promise.resolve({ context: clientContext(), classification: classification(), playbook });

  it('one activity to the guide: the automation phase takes triage’s playbook result', async () => {
    const id = await h.start(
      { triage: guided({ ran: true, articleId: 'kb-reset', title: 'Reset your password' }) },
      v3,
    );
    assert.deepEqual(h.steps(), ['triage']);
    assert.equal(h.inputsOf('triage')[0]?.guide, true);
    assert.equal((await h.status(id)).custom.stage, 'awaiting_confirmation');
    // The rest of the lifecycle is as before: the guide's title is what the resolution names.
    await h.raise(id, { kind: 'confirmation', answer: 'yes' });
    assert.deepEqual(h.steps().slice(1), ['recordOutcome:resolved', 'sendUpdate:resolved']);
    assert.equal(h.inputsOf('sendUpdate')[0]?.text, 'Reset your password');
  });

  it('a playbook that stopped in triage hands over with its reason, without running again', async () => {
    await h.start(
      { triage: guided({ ran: false, reason: 'the account is disabled', told: 'We passed it on.' }) },
      v3,
    );
    assert.deepEqual(h.steps(), ['triage', 'escalate:escalation-0-1', 'sendUpdate:escalated-0']);
    assert.equal(h.inputsOf('escalate')[0]?.reason, 'the account is disabled');
  });

  it('triage without a playbook result (it threw there): runPlaybook attempt 1 with the SLA view', async () => {
    await h.start({}, v3);
    assert.deepEqual(h.steps(), ['triage', 'runPlaybook']);
    const run = h.inputsOf('runPlaybook')[0];
    assert.equal(run?.attempt, 1);
    // The view triage records with the guide (firstGuideSla) is this one.
    assert.deepEqual(
      run?.sla,
      JSON.parse(
        JSON.stringify(firstGuideSla(clientContext(), classification(), Date.parse(String(run?.at)))),
      ),
    );
  });

  it('an instance started at version 2 replays triage then runPlaybook', async () => {
    await h.start({}, { acknowledgedAt: ACKED, version: 2 });
    assert.deepEqual(h.steps(), ['triage', 'runPlaybook']);
    assert.equal(h.inputsOf('triage')[0]?.guide, undefined);
  });
});
