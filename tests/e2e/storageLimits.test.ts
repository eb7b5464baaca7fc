import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { appUnderTest } from '../support/ticketApi';

/** 20,000 characters of Japanese: about 60 KB of UTF-8, and 40 KB as the UTF-16 Table Storage counts. */
const japanese = (lead: string) => `${lead} ${'プリンターが印刷できません。'.repeat(2000)}`.slice(0, 20_000);

describe('storage limits: the largest allowed tickets go through their whole life', () => {
  const app = appUnderTest();

  it('a 20,000-character ticket escalates, is resolved and reopened five times with 20,000-character replies', async () => {
    const email = 'big@demo.example';
    const res = await app.rt.post('/api/tickets', {
      clientId: 'demo',
      requester: { email },
      subject: 'Printer offline',
      body: japanese('The printer is offline.'),
    });
    assert.equal(res.status, 202);
    const { ticketId } = (await res.json()) as { ticketId: string };
    await app.rt.runtime.drain();
    const guide = (await app.api.mails(email)).find((m) => m.text.includes('Did this resolve your issue?'));
    if (guide) await app.api.click(app.api.link(guide, 'no'));
    assert.equal((await app.api.view(ticketId)).stage, 'escalated');
    for (let round = 1; round <= 5; round++) {
      const resolved = await app.api.event(ticketId, { type: 'resolved', by: 'Priya', note: `Fix ${round}` });
      assert.equal(resolved.status, 202);
      assert.equal((await app.api.view(ticketId)).stage, 'resolved', `round ${round}`);
      const reply = await app.api.event(ticketId, {
        type: 'reply',
        from: email,
        text: japanese(`It is still broken (${round}).`),
      });
      assert.equal(reply.status, 202);
      const view = await app.api.view(ticketId);
      assert.equal(view.stage, 'escalated', `round ${round}`);
      assert.equal(view.reopens, round);
    }
    const view = await app.api.view(ticketId);
    assert.ok((view.escalation?.conversation.length ?? 0) >= 6, 'the package keeps the conversation');
    assert.equal(await app.api.runtimeStatus(ticketId), 'Running');
  });
});
