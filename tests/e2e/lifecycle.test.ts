import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { TableKnowledgeBase } from '../../src/adapters/tables/tableKnowledgeBase';
import { friendlyTime } from '../../src/domain/messages';
import { queue, table } from '../support/storage';
import { appUnderTest } from '../support/ticketApi';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

describe('the ticket lifecycle: resolve, confirm, escalate, reopen', () => {
  const app = appUnderTest();

  it('yes: the guide fixed it; the ticket is resolved, summarised, logged, and closes after the reopen window', async () => {
    const email = 'yes@demo.example';
    const id = await app.api.file(
      email,
      'Locked out',
      'I am locked out of my account after too many password attempts',
    );
    const [ack, guide] = await app.api.mails(email);
    assert.match(ack?.subject ?? '', /We've got your request/);
    assert.equal(guide?.subject, `[#${id}] Getting back into your account`);
    assert.match(guide?.text ?? '', /Did this resolve your issue\?/);
    assert.doesNotMatch(
      guide?.text ?? '',
      /temporary password|your password is/i,
      'never a password in a mail',
    );
    assert.equal((await app.api.view(id)).stage, 'awaiting_confirmation');

    const yes = app.api.link(guide, 'yes');
    const clicked = await app.api.click(yes);
    assert.equal(clicked.status, 200);
    assert.match(clicked.page, /<h1>Great, we're glad it's sorted<\/h1>/);
    const view = await app.api.view(id);
    assert.equal(view.stage, 'resolved');
    assert.equal((await app.api.mails(email)).at(-1)?.subject, `[#${id}] Resolved: Locked out`);
    assert.ok(view.timeline.some((e) => /resolved confirmed/.test(e.note)));

    const sspr = (await new TableKnowledgeBase(table(`${app.rt.tablePrefix}Kb`)).all()).find(
      (a) => a.articleId === 'password-sspr',
    );
    assert.deepEqual([sspr?.uses, sspr?.successes], [1, 1], 'the article that fixed it is credited');

    const again = await app.api.click(yes);
    assert.match(again.page, /already have your answer/, 'links are single use');
    assert.equal((await app.api.mails(email)).length, 3, 'no second resolution mail');

    await app.rt.runtime.advance(7 * DAY);
    assert.equal((await app.api.view(id)).stage, 'closed');
    assert.equal(await app.api.runtimeStatus(id), 'Completed');
  });

  it('no: the requester says it is still broken; escalated to tier 1 with the full package', async () => {
    const email = 'no@demo.example';
    const id = await app.api.file(
      email,
      'VPN will not connect',
      'FortiClient says the gateway is unreachable',
    );
    const guide = (await app.api.mails(email))[1];
    assert.match(guide?.text ?? '', /FortiClient/, "the client's own VPN product");
    await app.api.click(app.api.link(guide, 'no'));

    const view = await app.api.view(id);
    assert.equal(view.stage, 'escalated');
    assert.equal(view.tier, 1);
    assert.equal(view.escalation?.automation.requesterAnswer, 'no');
    assert.equal(view.escalation?.automation.attempted, 'Connecting to the office with FortiClient');
    const forti = (await new TableKnowledgeBase(table(`${app.rt.tablePrefix}Kb`)).all()).find(
      (a) => a.articleId === 'vpn-forticlient',
    );
    assert.deepEqual(
      [forti?.uses, forti?.successes],
      [1, 0],
      'a guide that did not help counts against its article',
    );
    assert.equal(view.escalation?.systemProfile.client, 'Demo Dental Group');
    assert.ok((view.escalation?.suggestedSteps.length ?? 0) > 0);
    assert.deepEqual((await app.api.psaLog(id)).sort(), ['psa_escalation', 'psa_status']);
    assert.deepEqual(
      (await app.api.notifications(id)).map((n) => [n.kind, n.tier]),
      [['escalation', 1]],
    );
    const tier1 = await queue(`${app.rt.hub.toLowerCase()}-tier1`).peekMessages({ numberOfMessages: 32 });
    assert.ok(
      tier1.peekedMessageItems.some((m) => Buffer.from(m.messageText, 'base64').toString().includes(id)),
      "tier 1's queue is notified",
    );
    const last = (await app.api.mails(email)).at(-1);
    assert.match(last?.subject ?? '', /An engineer is on it/);
    // Clicked at 10:00 on a Monday with the SLA clock paused since the guide: four business hours remain.
    const due = friendlyTime(new Date(app.rt.clock.now() + 4 * HOUR).toISOString(), 'Europe/London');
    assert.match(due, /^Monday \d+ \w+ at 14:00$/);
    assert.ok(last?.text.includes(`You can expect to hear from them by ${due}.`));
  });

  it('silence: a reminder, then the escalate policy for a lockout', async () => {
    const email = 'quiet-lockout@demo.example';
    const id = await app.api.file(email, 'Account locked', 'My account is locked out again');
    await app.rt.runtime.advance(24 * HOUR - 1000);
    assert.equal((await app.api.mails(email)).length, 2, 'no reminder before its time');
    await app.rt.runtime.advance(1000);
    const reminder = (await app.api.mails(email)).at(-1);
    assert.match(reminder?.subject ?? '', /Did the steps help\?/);
    app.api.link(reminder, 'yes');
    await app.rt.runtime.advance(24 * HOUR);
    const view = await app.api.view(id);
    assert.equal(view.stage, 'escalated');
    assert.equal(view.escalation?.automation.requesterAnswer, 'silence');
    assert.match(view.escalation?.reason ?? '', /did not answer after a reminder/);
  });

  it('silence: a reminder, then the close policy for a guide, kept apart as resolved-unconfirmed', async () => {
    const email = 'quiet-printer@demo.example';
    const id = await app.api.file(email, 'Printer offline', 'The reception printer shows offline');
    await app.rt.runtime.advance(48 * HOUR);
    const view = await app.api.view(id);
    assert.equal(view.stage, 'closed');
    assert.ok(view.timeline.some((e) => /resolved unconfirmed/.test(e.note)));
    assert.ok((await app.api.mails(email)).some((m) => /Closing your request/.test(m.subject)));
    assert.deepEqual(await app.api.notifications(id), [], 'nobody was interrupted');
  });

  it('reply by mail: "thanks, that worked" resolves; "still broken" escalates', async () => {
    const good = await app.api.file(
      'reply-yes@demo.example',
      'Outlook keeps crashing',
      'Outlook crashes every time I open it',
    );
    assert.equal(
      (
        await app.api.event(good, {
          type: 'reply',
          from: 'reply-yes@demo.example',
          text: 'Thanks, that worked!\n\nOn Mon, IT wrote:\n> Did this resolve your issue?',
        })
      ).status,
      202,
    );
    assert.equal((await app.api.view(good)).stage, 'resolved');

    const bad = await app.api.file(
      'reply-no@demo.example',
      'Outlook keeps crashing',
      'Outlook crashes every time I open it',
    );
    await app.api.event(bad, {
      type: 'reply',
      from: 'reply-no@demo.example',
      text: 'Nope, still broken after the restart',
    });
    const view = await app.api.view(bad);
    assert.equal(view.stage, 'escalated');
    assert.ok(view.escalation?.conversation.some((c) => c.text === 'Nope, still broken after the restart'));
  });

  it('a dangerous ticket goes straight to tier 3 and no playbook runs', async () => {
    const email = 'phished@demo.example';
    const id = await app.api.file(
      email,
      'Please reset my password',
      'I clicked a link in an email and typed my password, now I get strange sign-in prompts',
    );
    const view = await app.api.view(id);
    assert.equal(view.category, 'engineering');
    assert.equal(view.stage, 'escalated');
    assert.equal(view.tier, 3);
    assert.equal(view.attempted, null);
    assert.ok(!view.timeline.some((e) => e.step.startsWith('playbook')));
    assert.deepEqual(
      (await app.api.mails(email)).map((m) => m.subject.replace(/^\[#T-\d+\] /, '')),
      ["We've got your request: Please reset my password", 'An engineer is on it: Please reset my password'],
    );
    assert.equal(view.escalation?.automation.requesterAnswer, 'none');
  });

  it('reopen: a reply after the close reopens and escalates; a plain "thanks" does not', async () => {
    const email = 'reopen@demo.example';
    const id = await app.api.fixedMouse(email);
    assert.equal((await app.api.view(id)).stage, 'resolved');
    await app.api.event(id, { type: 'reply', from: email, text: 'Thank you!' });
    assert.equal((await app.api.view(id)).stage, 'resolved');
    await app.rt.runtime.advance(2 * DAY);
    await app.api.event(id, { type: 'reply', from: email, text: 'It stopped working again this morning' });
    const view = await app.api.view(id);
    assert.equal(view.stage, 'escalated');
    assert.equal(view.reopens, 1);
    assert.match(view.escalation?.reason ?? '', /reopened/);
    assert.ok((await app.api.notifications(id)).some((n) => n.kind === 'reopened'));
    assert.ok((await app.api.mails(email)).some((m) => /Reopened: Mouse not working/.test(m.subject)));
  });

  it('a "thanks" inside the 7-day reopen window: the window still ends and the ticket closes', async () => {
    const email = 'thanks@demo.example';
    const id = await app.api.fixedMouse(email);
    await app.rt.runtime.advance(DAY);
    await app.api.event(id, { type: 'reply', from: email, text: 'Thanks again, all good!' });
    await app.rt.runtime.advance(8 * DAY);
    assert.equal((await app.api.view(id)).stage, 'closed');
    assert.equal(await app.api.runtimeStatus(id), 'Completed');
  });

  it('a reopen on day 1, resolved by an engineer on day 4: the requester gets the resolution mail', async () => {
    const email = 'day1@demo.example';
    const id = await app.api.fixedMouse(email);
    await app.rt.runtime.advance(DAY);
    await app.api.event(id, { type: 'reply', from: email, text: 'It stopped working again' });
    assert.equal((await app.api.view(id)).stage, 'escalated');
    await app.rt.runtime.advance(3 * DAY);
    await app.api.event(id, { type: 'resolved', by: 'Priya', note: 'Replaced the receiver' });
    assert.equal((await app.api.view(id)).stage, 'resolved');
    const subjects = (await app.api.mails(email)).map((m) => m.subject.replace(/^\[#T-\d+\] /, ''));
    assert.equal(subjects.filter((s) => s === 'Resolved: Mouse not working').length, 2);
    await app.rt.runtime.advance(8 * DAY);
    assert.equal(await app.api.runtimeStatus(id), 'Completed');
  });

  it('after the reopen window: a reply becomes a linked follow-up ticket; other events answer 409', async () => {
    const email = 'later@demo.example';
    const id = await app.api.fixedMouse(email);
    await app.rt.runtime.advance(8 * DAY);
    assert.equal(await app.api.runtimeStatus(id), 'Completed');

    const res = await app.api.event(id, { type: 'reply', from: email, text: 'It is broken again' });
    assert.equal(res.status, 202);
    const { followUpTicketId } = (await res.json()) as { followUpTicketId: string };
    assert.match(followUpTicketId, /^T-\d+$/);
    assert.notEqual(followUpTicketId, id);
    const followUp = (await app.api.view(followUpTicketId)) as unknown as {
      followUpOf?: string;
      stage: string;
    };
    assert.equal(followUp.followUpOf, id);
    assert.notEqual(followUp.stage, 'received', 'the follow-up has a workflow of its own');
    assert.ok(await app.api.acknowledgedAt(followUpTicketId), 'acknowledged by the request that filed it');
    assert.deepEqual(((await app.api.view(id)) as unknown as { followUps?: string[] }).followUps, [
      followUpTicketId,
    ]);

    const again = await app.api.event(id, { type: 'reply', from: email, text: 'It is broken again' });
    assert.equal(((await again.json()) as { followUpTicketId: string }).followUpTicketId, followUpTicketId);

    const plan = await app.api.event(id, { type: 'plan', tier: 2, by: 'Priya', note: 'Looking' });
    assert.equal(plan.status, 409);
    assert.match(
      ((await plan.json()) as { error: string }).error,
      /is closed; a plan is recorded only while/,
    );
    const stranger = await app.api.event(id, { type: 'reply', from: 'someone@else.example', text: 'hi' });
    assert.equal(stranger.status, 403, 'not the requester: no follow-up either');
  });

  it('an engineer records a plan, then resolves; the requester hears both', async () => {
    const email = 'engineer@demo.example';
    const id = await app.api.file(email, 'Server room', 'The file server is down for everyone');
    assert.equal(
      (
        await app.api.event(id, {
          type: 'plan',
          tier: 3,
          by: 'Priya',
          note: 'Restarting the storage controller tonight',
        })
      ).status,
      202,
    );
    assert.ok((await app.api.view(id)).timeline.some((e) => /Plan recorded by Priya/.test(e.note)));
    await app.api.event(id, { type: 'resolved', by: 'Priya', note: 'Replaced a failed disk' });
    const view = await app.api.view(id);
    assert.equal(view.stage, 'resolved');
    const subjects = (await app.api.mails(email)).map((m) => m.subject.replace(/^\[#T-\d+\] /, ''));
    assert.deepEqual(subjects.slice(-2), ["We're working on it: Server room", 'Resolved: Server room']);
  });
});
