import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { AzureOpenAiChat } from '../../../../src/adapters/llm/azureOpenAiChat';
import { GuardedAssistant } from '../../../../src/adapters/llm/guardedAssistant';
import type { EscalationPackage } from '../../../../src/domain/escalation';
import { escalationNote } from '../../../../src/domain/psa';
import type { SlaView } from '../../../../src/domain/sla';
import { createTicketActivities } from '../../../../src/workflow/activities/ticketActivities';
import {
  type ChatRequest,
  json,
  type Scripted,
  startFakeAzureOpenAi,
} from '../../../support/fakeAzureOpenAi';
import {
  InMemoryTicketStore,
  MemoryAudit,
  MemoryClients,
  MemoryOutcomes,
  MemoryResolutions,
  RecordingMail,
  RecordingOps,
} from '../../../support/fakes';
import { MemoryAssistantUsage } from '../../../support/memoryAssistantUsage';

const at = '2026-03-02T10:00:01.000Z';
const sla: SlaView = {
  tier: 'standard',
  responseDue: '2026-03-02T11:00:00.000Z',
  paused: false,
  warned: false,
  breached: false,
};

/**
 * The ticket activities with the assistant on: the real `openai` client against a local server
 * speaking the Azure OpenAI chat-completions API. The answers are written by hand per use.
 */
describe('ticket activities with the assistant (local Azure OpenAI server)', () => {
  let server: Awaited<ReturnType<typeof startFakeAzureOpenAi>>;
  let usage: MemoryAssistantUsage;
  let triage: Scripted;
  const briefing = {
    summary: 'The requester cannot reach the VPN gateway from home; the guide did not help.',
    steps: ['Check the gateway certificate', 'Look at the FortiClient log'],
  };

  before(async () => {
    server = await startFakeAzureOpenAi();
    server.answerWith((req: ChatRequest) =>
      req.use === 'triage'
        ? triage
        : req.use === 'briefing'
          ? json(briefing)
          : req.use === 'reply'
            ? json({ answer: 'new_issue' })
            : { status: 500 },
    );
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    usage = new MemoryAssistantUsage();
    triage = json({ category: 'printer_peripheral', confidence: 0.85, reason: 'a scanner problem' });
  });

  async function setup(subject: string, body: string, timeoutMs = 2_000) {
    const tickets = new InMemoryTicketStore();
    const ops = new RecordingOps();
    const started: string[] = [];
    const activities = createTicketActivities({
      tickets,
      mail: new RecordingMail(),
      clients: new MemoryClients(),
      notifier: ops,
      psa: ops,
      resolutions: new MemoryResolutions(),
      outcomes: new MemoryOutcomes(),
      linkSigningKey: 'k'.repeat(40),
      publicBaseUrl: 'http://localhost:7071',
      audit: new MemoryAudit(),
      startTicket: (input) => {
        started.push(input.ticketId);
        return Promise.resolve();
      },
      assistant: new GuardedAssistant({
        chat: new AzureOpenAiChat({
          endpoint: server.endpoint,
          deployment: server.deployment,
          apiVersion: '2024-10-21',
          apiKey: 'local-test-key',
          timeoutMs,
        }),
        usage,
        dailyTokens: 100_000,
        now: () => new Date(at),
        warn: () => {},
      }),
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
    return { tickets, ops, activities, ticket, started };
  }

  it('an unsure ticket gets a second opinion that decides it, recorded as decidedBy llm', async () => {
    const { activities, tickets, ticket } = await setup(
      'The thing on my desk',
      'It makes a grinding noise and nothing comes out.',
    );
    const result = await activities.classify({ ticketId: ticket.ticketId, at });
    assert.deepEqual([result.category, result.route, result.tier], ['printer_peripheral', 'auto', 1]);
    const stored = await tickets.get(ticket.ticketId);
    assert.equal(stored?.classification?.decidedBy, 'llm');
    assert.match(stored?.classification?.reasons.at(-1) ?? '', /second opinion: printer_peripheral/);
    assert.equal(server.requests.filter((r) => r.use === 'triage').length, 1);
  });

  it('a ticket the rules are sure of is not sent at all', async () => {
    const { activities, tickets, ticket } = await setup(
      'Locked out',
      'My account is locked, please unlock it.',
    );
    await activities.classify({ ticketId: ticket.ticketId, at });
    assert.equal(server.requests.length, 0);
    assert.equal((await tickets.get(ticket.ticketId))?.classification?.decidedBy, 'rules');
  });

  it('the safety screen outranks the model: a flagged ticket is never sent and never automated', async () => {
    triage = json({ category: 'password_reset', confidence: 1, reason: 'they want a reset' });
    const { activities, tickets, ticket } = await setup(
      'Reset my password please',
      'I clicked a link in an email that looked like it came from our bank and typed my password. Can you reset it?',
    );
    const result = await activities.classify({ ticketId: ticket.ticketId, at });
    assert.deepEqual([result.category, result.route, result.priority], ['engineering', 'escalate', 'P1']);
    assert.equal(server.requests.length, 0);
    assert.equal((await tickets.get(ticket.ticketId))?.classification?.decidedBy, 'rules');
  });

  it('a server error or a hang leaves the ticket with autotier’s own answer, and both count as fallbacks', async () => {
    const reasons: string[] = [];
    for (const reply of [{ status: 500 }, 'hang'] as Scripted[]) {
      triage = reply;
      usage = new MemoryAssistantUsage();
      const { activities, tickets, ticket } = await setup(
        'The thing on my desk',
        'It makes a grinding noise.',
        300,
      );
      const result = await activities.classify({ ticketId: ticket.ticketId, at });
      assert.equal(result.route, 'escalate');
      assert.notEqual((await tickets.get(ticket.ticketId))?.classification?.decidedBy, 'llm');
      reasons.push(...usage.reasons);
    }
    assert.deepEqual(reasons, ['http 500', 'timeout']);
  });

  it('the briefing tops the escalation package and the PSA note, labelled machine-written; no secret or address is sent', async () => {
    const { activities, tickets, ops, ticket } = await setup(
      'VPN will not connect',
      'FortiClient says the gateway is unreachable. My password is "S3cret!Pass" if you need it. Sam',
    );
    await activities.recordReply({
      ticketId: ticket.ticketId,
      at,
      step: 'reply-1',
      from: 'sam@demo.example',
      text: 'Still broken, the code 774411 did not work either',
      meaning: 'no',
      tier: 1,
      notify: false,
    });
    const input = {
      ticketId: ticket.ticketId,
      at,
      step: 'escalation-0-1',
      tier: 1,
      reason: 'the guide did not fix it',
      answer: 'no' as const,
      sla,
    };
    await activities.escalate(input);
    await activities.escalate(input);
    assert.equal(
      server.requests.filter((r) => r.use === 'briefing').length,
      1,
      'a retried step reuses its briefing',
    );

    const pkg = (await tickets.get(ticket.ticketId))?.escalation;
    assert.equal(Object.keys(pkg ?? {})[0], 'briefing');
    assert.equal(pkg?.briefing?.machineWritten, true);
    assert.match(pkg?.briefing?.label ?? '', /^Machine-written/);
    assert.deepEqual(pkg?.briefing?.steps, briefing.steps);
    const note = escalationNote(ops.log.get('psa|escalation-0-1') as EscalationPackage);
    assert.match(note.split('\n')[0] ?? '', /^Briefing\. Machine-written/);
    assert.equal(note.split('\n')[1], briefing.summary);

    const sent = server.requests.map((r) => r.raw).join('\n');
    for (const leak of ['S3cret!Pass', '774411', 'sam@demo.example', 'Sam Lee'])
      assert.ok(!sent.includes(leak), `${leak} was sent`);
  });

  it('a reply read as a new issue files one linked ticket and starts it, however often the step runs', async () => {
    const { activities, tickets, ticket, started } = await setup('Printer jam', 'The printer jams.');
    const input = {
      ticketId: ticket.ticketId,
      at,
      step: 'read-reply-1',
      from: 'sam@demo.example',
      text: 'Also, my second monitor stays black since this morning.\n\nOn Mon, 2 Mar 2026, IT Support wrote:\n> Did this resolve your issue?',
      question: 'Did "Clear a paper jam" resolve the issue?',
    };
    const first = await activities.readReply(input);
    const again = await activities.readReply(input);
    assert.equal(first.answer, 'new_issue');
    assert.ok(first.followUpTicketId);
    assert.equal(again.followUpTicketId, first.followUpTicketId);
    assert.deepEqual(started, [first.followUpTicketId, first.followUpTicketId]);
    const followUp = await tickets.get(first.followUpTicketId);
    assert.equal(followUp?.followUpOf, ticket.ticketId);
    assert.equal(followUp?.body, 'Also, my second monitor stays black since this morning.');
    assert.deepEqual((await tickets.get(ticket.ticketId))?.followUps, [first.followUpTicketId]);
    const sent = server.requests.find((r) => r.use === 'reply')?.raw ?? '';
    assert.ok(!sent.includes('sam@demo.example'));
  });

  it('without an answer the package is as before: no briefing', async () => {
    triage = { status: 500 };
    server.next({ status: 503 });
    const { activities, tickets, ticket } = await setup('VPN will not connect', 'FortiClient says no.');
    await activities.escalate({
      ticketId: ticket.ticketId,
      at,
      step: 'escalation-0-1',
      tier: 1,
      reason: 'r',
      answer: 'none',
      sla,
    });
    const pkg = (await tickets.get(ticket.ticketId))?.escalation;
    assert.ok(pkg);
    assert.equal(pkg.briefing, undefined);
  });
});
