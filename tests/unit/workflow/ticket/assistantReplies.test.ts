import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ReplyAnswer } from '../../../../src/domain/assistant';
import { DEFAULT_LIFECYCLE, HOUR } from '../../../../src/domain/lifecycle';
import { clientContext, WorkflowHarness } from '../../../support/workflowHarness';

const h = WorkflowHarness.get();
const withAssistant = (answer: ReplyAnswer) => ({
  acknowledge: () => Promise.resolve({ sent: true, context: clientContext({ assistant: true }) }),
  readReply: () => Promise.resolve({ answer }),
});

describe('replies the rules cannot read, with the assistant configured (stub activities)', () => {
  it('a reply the rules read is never sent to the assistant', async () => {
    const id = await h.start(withAssistant('no'));
    await h.raise(id, { kind: 'reply', from: 'user@acme.test', text: 'Thanks, it works now!' });
    assert.deepEqual(h.steps().slice(3), [
      'recordReply:reply-1',
      'recordOutcome:resolved',
      'sendUpdate:resolved',
    ]);
  });

  it("the assistant's yes resolves where the rules would have asked again", async () => {
    const id = await h.start(withAssistant('yes'));
    await h.raise(id, {
      kind: 'reply',
      from: 'user@acme.test',
      text: 'My colleague had a look at it this morning.',
    });
    assert.deepEqual(h.steps().slice(3), [
      'readReply:read-reply-1',
      'recordReply:reply-1',
      'recordOutcome:resolved',
      'sendUpdate:resolved',
    ]);
    assert.equal(h.inputsOf('recordReply')[0]?.meaning, 'yes');
  });

  it('a new issue is filed apart (by the activity) and the ticket still waits for its answer', async () => {
    const id = await h.start(withAssistant('new_issue'));
    await h.raise(id, { kind: 'reply', from: 'user@acme.test', text: 'Also my monitor flickers.' });
    assert.deepEqual(h.steps().slice(3), ['readReply:read-reply-1', 'recordReply:reply-1']);
    assert.equal((await h.status(id)).custom.stage, 'awaiting_confirmation');
    await h.advance(DEFAULT_LIFECYCLE.reminderAfterHours * HOUR);
    assert.deepEqual(h.steps().slice(5), ['sendUpdate:reminder-1']);
  });

  it('no answer from the assistant: unclear, as before (one clarifying question)', async () => {
    const id = await h.start(withAssistant('unclear'));
    await h.raise(id, { kind: 'reply', from: 'user@acme.test', text: 'hmm?' });
    assert.deepEqual(h.steps().slice(3), [
      'readReply:read-reply-1',
      'recordReply:reply-1',
      'sendUpdate:clarify-1',
    ]);
  });

  it('a failing reading does not fail the ticket: the reply is unclear', async () => {
    const id = await h.start({
      ...withAssistant('yes'),
      readReply: () => Promise.reject(new Error('storage down')),
    });
    await h.raise(id, { kind: 'reply', from: 'user@acme.test', text: 'hmm?' });
    await h.advance(10 * 60_000); // the activity's retries
    assert.deepEqual(
      h
        .steps()
        .filter((s) => !s.startsWith('readReply'))
        .slice(3),
      ['recordReply:reply-1', 'sendUpdate:clarify-1'],
    );
  });
});
