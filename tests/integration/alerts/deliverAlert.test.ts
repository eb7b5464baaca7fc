import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { InvocationContext } from '@azure/functions';

import { TableOutbox } from '../../../src/adapters/email/tableOutbox';
import { WorkflowsWebhook } from '../../../src/adapters/notify/workflowsWebhook';
import { JsonQueue } from '../../../src/adapters/queues/jsonQueue';
import { TableAlertDeliveries } from '../../../src/adapters/tables/tableAlertDeliveries';
import { TableEventLog } from '../../../src/adapters/tables/tableEventLog';
import { deliverAlertHandler } from '../../../src/alerts/deliverAlert';
import { type AudienceChannels, audienceOf, AUDIENCES } from '../../../src/domain/alerts';
import { alertQueueName } from '../../../src/names';
import type { EmailSender, OutgoingMail } from '../../../src/ports/emailSender';
import type { Notification } from '../../../src/ports/notifier';
import { startFakeWorkflows } from '../../support/fakeTeams';
import { freshTable, queue, uniqueName } from '../../support/storage';

type Card = {
  type: string;
  attachments: {
    contentType: string;
    contentUrl: null;
    content: {
      type: string;
      version: string;
      body: { type: string; text?: string; facts?: { title: string; value: string }[] }[];
      actions?: { type: string; title: string; url: string }[];
    };
  }[];
};

/** An invocation of a queue trigger as the host makes it: the message's dequeue count, and its logs. */
function queueContext(dequeueCount: number) {
  const logs: string[] = [];
  const context = new InvocationContext({
    functionName: 'deliverAlertTier2',
    triggerMetadata: { dequeueCount },
    logHandler: (level, ...args) => logs.push(`${level}: ${args.map(String).join(' ')}`),
  });
  return { context, logs };
}

/** The outbox, counting every send it is asked for (the outbox itself would hide a repeat). */
class CountingMail implements EmailSender {
  calls = 0;
  constructor(readonly outbox: TableOutbox) {}
  send(mail: OutgoingMail) {
    this.calls++;
    return this.outbox.send(mail);
  }
}

const escalation: Notification = {
  key: 'escalate-1',
  ticketId: 'T-1042',
  clientId: 'demo',
  tier: 2,
  kind: 'escalation',
  message: 'P2 vpn_remote_access: VPN will not connect (the requester said the guide did not help)',
  at: '2026-03-02T10:00:00.000Z',
};

describe('deliverAlert: an alert from its queue to a Teams channel and a mailbox', () => {
  let teams: Awaited<ReturnType<typeof startFakeWorkflows>>;
  before(async () => {
    teams = await startFakeWorkflows();
  });
  after(async () => teams.close());

  async function setUp(channels?: AudienceChannels, timeoutMs?: number) {
    const events = new TableEventLog(await freshTable('events'));
    const outbox = new TableOutbox(await freshTable('outbox'));
    const mail = new CountingMail(outbox);
    const ledger = new TableAlertDeliveries(await freshTable('alerts'));
    const handler = deliverAlertHandler({
      audience: 'tier2',
      channels: channels ?? {
        webhook: teams.url(`/workflows/${uniqueName('w')}`),
        email: 'tier2@msp.example',
      },
      ledger,
      webhook: new WorkflowsWebhook(timeoutMs),
      mail,
      failures: events,
      priorityOf: (ticketId) => Promise.resolve(ticketId === 'T-1042' ? 'P2' : undefined),
      publicBaseUrl: 'https://autotier.example',
      now: () => new Date('2026-03-02T10:00:05Z'),
    });
    return { events, outbox, mail, handler };
  }

  it('posts an Adaptive Card through the Workflows webhook and mails the audience', async () => {
    const before = teams.posts.length;
    const { outbox, handler } = await setUp();
    await handler(escalation, queueContext(1).context);

    const posted = teams.posts.slice(before);
    assert.equal(posted.length, 1);
    assert.match(posted[0]?.path ?? '', /\/triggers\/manual\/paths\/invoke\?.*sig=SECRET-SIGNATURE$/);
    assert.equal(posted[0]?.contentType, 'application/json');
    const card = posted[0]?.body as Card;
    assert.equal(card.type, 'message');
    assert.equal(card.attachments[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(card.attachments[0]?.contentUrl, null);
    const content = card.attachments[0].content;
    assert.equal(content.type, 'AdaptiveCard');
    assert.ok(Number(content.version) >= 1.4, `version ${content.version}`);
    const text = JSON.stringify(content.body);
    assert.match(text, /T-1042/, 'the card names the ticket');
    assert.match(text, /the requester said the guide did not help/, 'and why');
    assert.match(text, /"title":"Client","value":"demo"/);
    assert.match(text, /"title":"Priority","value":"P2"/);
    assert.deepEqual(content.actions, [
      { type: 'Action.OpenUrl', title: 'Open T-1042', url: 'https://autotier.example/api/tickets/T-1042' },
    ]);

    const mails = await outbox.list('tier2@msp.example');
    assert.equal(mails.length, 1);
    assert.match(mails[0]?.subject ?? '', /^autotier tier 2: Escalated: T-1042 \(P2\) \(demo\)$/);
    assert.match(mails[0]?.text ?? '', /the requester said the guide did not help/);
    assert.match(mails[0]?.text ?? '', /https:\/\/autotier\.example\/api\/tickets\/T-1042/);
  });

  it('a redelivered message posts no second card and sends no second mail', async () => {
    const before = teams.posts.length;
    const { mail, handler } = await setUp();
    await handler(escalation, queueContext(1).context);
    // The host delivers a message again when an instance dies after the work, before the delete.
    await handler(escalation, queueContext(2).context);
    await handler({ ...escalation }, queueContext(1).context);
    assert.equal(teams.posts.length - before, 1);
    assert.equal(mail.calls, 1);
  });

  it('a 500 from the webhook: logged and recorded, the message retried, and only that channel tried again', async () => {
    const before = teams.posts.length;
    const { events, mail, outbox, handler } = await setUp();
    teams.answerNext(500);
    const first = queueContext(1);
    await assert.rejects(
      handler(escalation, first.context),
      /webhook failed on try 1; the queue tries again/,
    );
    assert.equal(teams.posts.length - before, 0);
    assert.equal(mail.calls, 1, 'the mail went on the first try');
    const error = first.logs.find((l) => l.startsWith('error:'));
    assert.match(error ?? '', /webhook/);
    assert.match(error ?? '', /T-1042/);
    assert.match(error ?? '', /HTTP 500/);
    for (const line of first.logs)
      assert.doesNotMatch(line, /SECRET-SIGNATURE|127\.0\.0\.1/, 'no URL in the logs');

    const failed = (await events.list('T-1042')).filter((e) => e.kind === 'alert_delivery_failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.key, 'alert-failed|escalate-1|webhook');
    assert.deepEqual(
      (({ channel, audience, attempt, error: e }) => ({ channel, audience, attempt, error: e }))(
        failed[0]?.payload as Record<string, unknown>,
      ),
      { channel: 'webhook', audience: 'tier2', attempt: 1, error: 'the webhook answered HTTP 500' },
    );

    await handler(escalation, queueContext(2).context);
    assert.equal(teams.posts.length - before, 1, 'the card went on the second try');
    assert.equal(mail.calls, 1, 'the mail was not sent again');
    assert.equal((await outbox.list('tier2@msp.example')).length, 1);
    const rows = await events.list('T-1042');
    assert.deepEqual(
      rows.map((r) => [r.key, r.kind]),
      [['alert-failed|escalate-1|webhook', 'alert_delivery_recovered']],
      'the failure row says the alert got through in the end',
    );
    assert.equal((rows[0]?.payload as { deliveredAttempt?: number }).deliveredAttempt, 2);
  });

  it('a webhook that does not answer in time, or cannot be reached, fails that channel without naming the URL', async () => {
    teams.hang();
    try {
      const slow = await setUp({ webhook: teams.url('/workflows/slow') }, 300);
      const { context, logs } = queueContext(3);
      const started = Date.now();
      await assert.rejects(slow.handler(escalation, context), /webhook failed on try 3/);
      assert.ok(Date.now() - started < 5000);
      assert.match(logs.join('\n'), /did not answer within 0\.3 s/);
      const payload = (await slow.events.list('T-1042'))[0]?.payload as { attempt: number; error: string };
      assert.deepEqual(payload.attempt, 3);
      assert.equal(payload.error, 'the webhook did not answer within 0.3 s');
    } finally {
      teams.hang(false);
    }

    const closed = await startFakeWorkflows();
    const deadUrl = closed.url('/workflows/gone');
    await closed.close();
    const gone = await setUp({ webhook: deadUrl });
    const { context, logs } = queueContext(1);
    await assert.rejects(gone.handler(escalation, context), (err: Error) => !err.message.includes('SECRET'));
    assert.match(logs.join('\n'), /the webhook could not be reached \(ECONNREFUSED\)/);
    assert.doesNotMatch(JSON.stringify(await gone.events.list('T-1042')), /SECRET-SIGNATURE/);
  });

  it('an alert about the system itself goes out without a link, and a mail-only audience needs no webhook', async () => {
    const { outbox, handler } = await setUp({ email: 'tier2@msp.example' });
    await handler(
      {
        key: 'poison-x',
        ticketId: '_alerts',
        clientId: '_all',
        tier: 2,
        kind: 'alert_poison',
        message: '1 alert could not be delivered',
        at: '2026-03-02T11:05:00.000Z',
      },
      queueContext(1).context,
    );
    const [mail] = await outbox.list('tier2@msp.example');
    assert.match(mail?.subject ?? '', /^autotier tier 2: Alerts not delivered \(_all\)$/);
    assert.doesNotMatch(mail?.text ?? '', /api\/tickets/);
  });
});

describe('TableEventLog: notifications reach their audience queue', () => {
  it('sends an on-call page to the fourth queue, and everything else to its tier', async () => {
    const prefix = uniqueName('alerts-');
    const queues = new Map(
      AUDIENCES.map((a) => [a, new JsonQueue<Notification>(queue(alertQueueName(prefix, a)))]),
    );
    await Promise.all([...queues.values()].map((q) => q.ensureQueue()));
    const events = new TableEventLog(await freshTable('events'), (n) => queues.get(audienceOf(n)));
    await events.notify({ ...escalation, key: 'p1-page-1', kind: 'p1_page', tier: 3, audience: 'oncall' });
    await events.notify(escalation);

    const received = async (name: string) =>
      (await queue(name).peekMessages({ numberOfMessages: 32 })).peekedMessageItems.map(
        (m) => (JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as Notification).key,
      );
    assert.deepEqual(await received(`${prefix}oncall`), ['p1-page-1']);
    assert.deepEqual(await received(`${prefix}2`), ['escalate-1']);
    assert.deepEqual(await received(`${prefix}3`), [], 'a page is not also a tier-3 alert');
  });
});
