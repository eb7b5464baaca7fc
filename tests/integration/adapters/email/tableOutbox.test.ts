import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { TableOutbox } from '../../../../src/adapters/email/tableOutbox';
import { freshTable } from '../../../support/storage';

describe('TableOutbox on Azurite', () => {
  it('keeps each mail once per idempotency key and lists them by recipient', async () => {
    let t = Date.parse('2026-03-02T10:00:00Z');
    const outbox = new TableOutbox(await freshTable('outbox'), () => new Date((t += 1000)));
    const mail = {
      to: 'Sam@Demo.Example',
      subject: 's1',
      text: 't',
      html: '<p>t</p>',
      idempotencyKey: 'T-1.ack',
    };
    assert.equal((await outbox.send(mail)).duplicate, false);
    assert.equal((await outbox.send(mail)).duplicate, true);
    await outbox.send({ ...mail, subject: 's2', idempotencyKey: 'T-1.confirm' });
    await outbox.send({ ...mail, to: 'other@demo.example', idempotencyKey: 'T-2.ack' });
    const mails = await outbox.list('sam@demo.example');
    assert.deepEqual(
      mails.map((m) => m.subject),
      ['s1', 's2'],
    );
    assert.equal(mails[0]?.to, 'sam@demo.example');
  });
});
