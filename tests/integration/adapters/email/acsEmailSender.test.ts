import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { EmailClient } from '@azure/communication-email';

import { AcsEmailSender, operationIdFor } from '../../../../src/adapters/email/acsEmailSender';
import { SendLedger } from '../../../../src/adapters/email/sendLedger';
import { startFakeAcs } from '../../../support/fakeAcs';
import { freshTable } from '../../../support/storage';

const mail = {
  to: 'sam@demo.example',
  subject: '[#T-1001] We got it',
  text: 'Hello',
  html: '<p>Hello</p>',
  idempotencyKey: 'T-1001.ack',
};

describe('AcsEmailSender against a local ACS Email API', () => {
  it('sends with the real SDK (signed request, Operation-Id, Reply-To), does not poll, and never sends twice for one key', async () => {
    const acs = await startFakeAcs({ runningReads: 5 });
    try {
      const sender = new AcsEmailSender(
        new EmailClient(acs.connectionString, { allowInsecureConnection: true }),
        new SendLedger(await freshTable('sent')),
        'DoNotReply@mail.example',
        { replyTo: 'support@msp.example' },
      );
      const first = await sender.send(mail);
      assert.deepEqual(first, { messageId: operationIdFor('T-1001.ack'), duplicate: false });
      const post = acs.requests.find((r) => r.method === 'POST');
      assert.match(post?.path ?? '', /^\/emails:send\?api-version=\d{4}-\d{2}-\d{2}/);
      assert.equal(post?.headers['operation-id'], operationIdFor('T-1001.ack'));
      assert.match(
        String(post?.headers.authorization),
        /^HMAC-SHA256 SignedHeaders=/,
        'the SDK signs with the access key',
      );
      assert.deepEqual(post?.body, {
        senderAddress: 'DoNotReply@mail.example',
        recipients: { to: [{ address: 'sam@demo.example' }] },
        replyTo: [{ address: 'support@msp.example' }],
        content: { subject: '[#T-1001] We got it', plainText: 'Hello', html: '<p>Hello</p>' },
      });
      assert.ok(
        acs.requests.filter((r) => r.method === 'GET').length <= 1,
        'fired and recorded: no status polling beyond the one read the SDK makes as it starts',
      );

      const again = await sender.send(mail);
      assert.equal(again.duplicate, true);
      assert.equal(acs.requests.filter((r) => r.method === 'POST').length, 1);
    } finally {
      await acs.close();
    }
  });

  it('retries a throttled send honouring Retry-After, and reports a refused one', async () => {
    const throttled = await startFakeAcs({ throttleFirst: 1 });
    try {
      const sender = new AcsEmailSender(
        new EmailClient(throttled.connectionString, { allowInsecureConnection: true }),
        new SendLedger(await freshTable('sent')),
        'DoNotReply@mail.example',
      );
      assert.equal((await sender.send(mail)).duplicate, false);
      assert.equal(throttled.requests.filter((r) => r.method === 'POST').length, 2);
    } finally {
      await throttled.close();
    }
    const failing = await startFakeAcs({ rejectSend: true });
    try {
      const ledger = await freshTable('sent');
      const sender = new AcsEmailSender(
        new EmailClient(failing.connectionString, { allowInsecureConnection: true }),
        new SendLedger(ledger),
        'DoNotReply@mail.example',
      );
      await assert.rejects(
        sender.send(mail),
        /^Error: ACS did not accept mail [0-9a-f-]{36}: .*recipient rejected/,
      );
      await assert.rejects(
        ledger.getEntity('sent', mail.idempotencyKey),
        'a failed send is not recorded as sent',
      );
    } finally {
      await failing.close();
    }
  });

  it('makes a valid, stable GUID from a key', () => {
    assert.match(
      operationIdFor('x'),
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.equal(operationIdFor('x'), operationIdFor('x'));
    assert.notEqual(operationIdFor('x'), operationIdFor('y'));
  });
});

describe('SendLedger delivery reports', () => {
  it('finds the mail an operation sent, and records what its delivery report said', async () => {
    const ledger = new SendLedger(await freshTable('sent'));
    await ledger.record('T-1001.ack', { operationId: 'op-1', status: 'accepted' });
    assert.equal(await ledger.keyOf('op-1'), 'T-1001.ack');
    assert.equal(await ledger.keyOf('op-unknown'), undefined);
    await ledger.delivered('T-1001.ack', 'Bounced', 'Mailbox unavailable');
    assert.equal(await ledger.has('T-1001.ack'), true);
  });
});
