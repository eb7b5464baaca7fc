import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { run } from '../../../src/cli/autotier';
import { watchPoison } from '../../../src/housekeeping/watchPoison';
import { poisonQueueName } from '../../../src/names';
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

  it('watches the alert queues too: undelivered alerts are reported once an hour per queue, with the replay command', async () => {
    const name = `${uniqueName('alerts-')}oncall`;
    const poison = queue(poisonQueueName(name));
    await poison.create();
    await poison.sendMessage(Buffer.from(JSON.stringify({ key: 'p1-page-1' })).toString('base64'));
    const notifier = new RecordingOps();
    const tokens = new MemoryTokens();
    const now = new Date('2026-03-02T10:05:00Z');
    const alert = await watchPoison({ poison, notifier, tokens, now, holds: 'alerts' });
    assert.equal(
      alert,
      `1 alert could not be delivered after five tries and waits in ${name}-poison. The logs (autotier.alertDeliveryFailed) and the Events table (alert_delivery_failed) name the failing channel; fix it in AUTOTIER_NOTIFY, then run: autotier intake replay --queue ${name}`,
    );
    assert.equal(await watchPoison({ poison, notifier, tokens, now, holds: 'alerts' }), undefined);
    const sent = [...notifier.log.values()] as { tier: number; kind: string; ticketId: string }[];
    assert.deepEqual(
      sent.map((n) => [n.tier, n.kind, n.ticketId]),
      [[2, 'alert_poison', '_alerts']],
    );
    assert.equal(await run(['intake', 'replay', '--queue', name]), 0);
    assert.equal((await queue(name).peekMessages()).peekedMessageItems.length, 1, 'back on the alert queue');
  });
});
