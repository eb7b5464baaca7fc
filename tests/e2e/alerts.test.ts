import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startFakeWorkflows } from '../support/fakeTeams';
import { queue } from '../support/storage';
import { appUnderTest } from '../support/ticketApi';

type Card = {
  attachments: {
    content: {
      type: string;
      body: unknown[];
      actions?: { type: string; url: string }[];
    };
  }[];
};

const cardText = (body: unknown) => JSON.stringify((body as Card).attachments[0]?.content.body);

describe('alerts reach people: AUTOTIER_NOTIFY delivers the audience queues to Teams and mail', () => {
  let teams: Awaited<ReturnType<typeof startFakeWorkflows>>;
  // Before the app starts: the deliverAlert functions are registered from the setting at load.
  before(async () => {
    teams = await startFakeWorkflows();
    process.env.AUTOTIER_NOTIFY = JSON.stringify({
      tier1: { webhook: teams.url('/workflows/tier1'), email: 'tier1@msp.example' },
      tier2: { webhook: teams.url('/workflows/tier2') },
      oncall: { webhook: teams.url('/workflows/oncall'), email: 'oncall@msp.example' },
    });
  });
  const app = appUnderTest();
  after(async () => teams.close());

  const tierQueue = (suffix: string) => `${app.rt.hub.toLowerCase()}-tier${suffix}`;
  const postsTo = (audience: string) =>
    teams.posts.filter((p) => p.path.startsWith(`/workflows/${audience}/`));

  it('reads only the queues of audiences that have a channel', () => {
    const names = app.rt.runtime.registry
      .ofTriggerType('queueTrigger')
      .map((f) => f.name)
      .filter((n) => n.startsWith('deliverAlert'))
      .sort();
    assert.deepEqual(names, ['deliverAlertOncall', 'deliverAlertTier1', 'deliverAlertTier2']);
  });

  it('an escalation ends up as a card in the tier 1 channel and a mail to tier 1', async () => {
    const email = 'vpn-alert@demo.example';
    const id = await app.api.file(
      email,
      'VPN will not connect',
      'FortiClient says the gateway is unreachable',
    );
    await app.api.click(app.api.link((await app.api.mails(email))[1], 'no'));
    const view = await app.api.view(id);
    assert.equal(view.stage, 'escalated');

    const cards = postsTo('tier1').filter((p) => cardText(p.body).includes(id));
    assert.equal(cards.length, 1, 'one card for the escalation');
    const content = (cards[0]?.body as Card).attachments[0]?.content;
    assert.equal(content?.type, 'AdaptiveCard');
    assert.ok(cardText(cards[0]?.body).includes(view.escalation?.reason ?? '?'), 'the card says why');
    assert.deepEqual(content?.actions, [
      { type: 'Action.OpenUrl', title: `Open ${id}`, url: `${app.rt.runtime.url}/api/tickets/${id}` },
    ]);
    // The link opens the ticket on the app itself.
    assert.equal((await fetch(content?.actions?.[0]?.url ?? '')).status, 200);

    const mails = await app.api.mails('tier1@msp.example');
    assert.ok(mails.some((m) => m.subject.includes(`Escalated: ${id}`) && m.text.includes('/api/tickets/')));
    const left = await queue(tierQueue('1')).peekMessages({ numberOfMessages: 32 });
    assert.equal(left.peekedMessageItems.length, 0, 'the tier 1 queue was read');
  });

  it('a P1 page on the on-call queue reaches the on-call channel and mailbox', async () => {
    const page = {
      key: 'p1-page-1',
      ticketId: 'T-9001',
      clientId: 'demo',
      tier: 3,
      kind: 'p1_page',
      audience: 'oncall',
      message: 'P1 engineering: the practice server is down for everyone',
      at: new Date(app.rt.clock.now()).toISOString(),
    };
    await queue(tierQueue('oncall')).sendMessage(Buffer.from(JSON.stringify(page)).toString('base64'));
    await app.rt.runtime.drain();
    const cards = postsTo('oncall');
    assert.equal(cards.length, 1);
    assert.match(cardText(cards[0]?.body), /P1 page: T-9001/);
    assert.match(cardText(cards[0]?.body), /practice server is down/);
    assert.equal((await app.api.mails('oncall@msp.example')).length, 1);
  });

  it('alerts that went poison are reported by the hourly poison watch, to tier 2', async () => {
    const poison = queue(`${tierQueue('oncall')}-poison`);
    await poison.createIfNotExists();
    await poison.sendMessage(Buffer.from(JSON.stringify({ key: 'p1-page-2' })).toString('base64'));
    const now = app.rt.clock.now();
    const hour = 3_600_000;
    // The watch runs at five past each hour.
    const nextWatch = Math.floor((now - 5 * 60_000) / hour) * hour + hour + 5 * 60_000 + 1000;
    await app.api.advanceTo(new Date(nextWatch).toISOString());
    const reported = postsTo('tier2').filter((p) => cardText(p.body).includes('Alerts not delivered'));
    assert.equal(reported.length, 1);
    assert.match(cardText(reported[0]?.body), /autotier intake replay --queue [a-z0-9-]+tieroncall/);
  });
});
