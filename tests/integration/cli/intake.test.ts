import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { run } from '../../../src/cli/autotier';
import { poisonQueueName } from '../../../src/cli/intakeCommands';
import { watchPoison } from '../../../src/functions/timer/watchPoison';
import { MemoryTokens, RecordingOps } from '../../support/fakes';
import { queue, uniqueName } from '../../support/storage';

describe('the intake poison queue', () => {
  it('alerts tier 2 at most once an hour while messages wait, then `autotier intake replay` puts them back', async () => {
    const name = uniqueName('intake-');
    const poison = queue(poisonQueueName(name));
    await poison.create();
    const notifier = new RecordingOps();
    const tokens = new MemoryTokens();
    const now = new Date('2026-03-02T10:00:00Z');
    assert.equal(
      await watchPoison({ poison, notifier, tokens, now }),
      undefined,
      'nothing to say while empty',
    );

    const bodies = [1, 2, 3].map((n) =>
      Buffer.from(JSON.stringify({ source: 'generic', eventId: `e${n}` })).toString('base64'),
    );
    for (const b of bodies) await poison.sendMessage(b);
    const alert = await watchPoison({ poison, notifier, tokens, now });
    assert.match(alert ?? '', /^3 intake deliveries failed five times .* autotier intake replay$/);
    assert.equal(
      await watchPoison({ poison, notifier, tokens, now: new Date('2026-03-02T10:05:00Z') }),
      undefined,
    );
    const sent = [...notifier.log.values()] as { tier: number; kind: string }[];
    assert.deepEqual(
      sent.map((n) => [n.tier, n.kind]),
      [[2, 'intake_poison']],
    );

    assert.equal(await run(['intake', 'replay', '--queue', name, '--max', '2']), 0);
    assert.equal((await poison.getProperties()).approximateMessagesCount, 1);
    assert.equal(await run(['intake', 'replay', '--queue', name]), 0);
    assert.equal((await poison.peekMessages()).peekedMessageItems.length, 0);
    const back = (await queue(name).receiveMessages({ numberOfMessages: 32 })).receivedMessageItems.map(
      (m) => m.messageText,
    );
    assert.deepEqual(back.sort(), [...bodies].sort(), 'each message back once, unchanged');
  });
});
