import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { GraphEmailSender } from '../../../../src/adapters/email/graphEmailSender';
import { SendLedger } from '../../../../src/adapters/email/sendLedger';
import { RestClient } from '../../../../src/adapters/http/restClient';
import { type FakeGraph, startFakeGraph } from '../../../support/fakeGraph';
import { freshTable } from '../../../support/storage';

const MAILBOX = 'support@msp.example';

describe('GraphEmailSender against a local server speaking Graph sendMail', () => {
  let graph: FakeGraph;
  before(async () => {
    graph = await startFakeGraph();
  });
  after(() => graph.close());
  const sender = async () =>
    new GraphEmailSender(
      new RestClient({
        vendor: 'graph',
        baseUrl: graph.url,
        headers: () => ({}),
        sleep: () => Promise.resolve(),
      }),
      MAILBOX,
      new SendLedger(await freshTable('sent')),
      { replyTo: MAILBOX },
    );
  const mail = (key: string) => ({
    to: 'sam@demo.example',
    subject: '[#T-1001] Getting back into your account',
    text: 'Steps',
    html: '<p>Steps <img src="cid:step1"></p>',
    images: [
      { contentId: 'step1', name: 'step1.png', contentType: 'image/png', contentBase64: 'iVBORw0KGgo=' },
    ],
    idempotencyKey: key,
  });

  it('sends from the support mailbox with Reply-To and inline pictures, kept in Sent Items, and never twice for one key', async () => {
    const s = await sender();
    assert.deepEqual(await s.send(mail('T-1001.guide-1')), { messageId: 'T-1001.guide-1', duplicate: false });
    assert.equal((await s.send(mail('T-1001.guide-1'))).duplicate, true);
    const sent = graph.sent.filter((m) => (m.message.subject as string).includes('T-1001'));
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.mailbox, MAILBOX);
    assert.equal(sent[0]?.saveToSentItems, true);
    assert.deepEqual(sent[0]?.message.toRecipients, [{ emailAddress: { address: 'sam@demo.example' } }]);
    assert.deepEqual(sent[0]?.message.replyTo, [{ emailAddress: { address: MAILBOX } }]);
    assert.deepEqual(sent[0]?.message.body, {
      contentType: 'HTML',
      content: '<p>Steps <img src="cid:step1"></p>',
    });
    assert.deepEqual(sent[0]?.message.attachments, [
      {
        '@odata.type': '#microsoft.graph.fileAttachment',
        name: 'step1.png',
        contentType: 'image/png',
        contentBytes: 'iVBORw0KGgo=',
        contentId: 'step1',
        isInline: true,
      },
    ]);
  });

  it('waits out throttling (429 with Retry-After) and fails plainly when the mailbox may not send', async () => {
    const s = await sender();
    graph.fail({ status: 429, retryAfter: '1' }, { status: 503 });
    assert.equal((await s.send(mail('T-1002.ack'))).duplicate, false);
    graph.forbidden.add(MAILBOX);
    try {
      await assert.rejects(
        s.send(mail('T-1003.ack')),
        /graph POST \/users\/support%40msp\.example\/sendMail answered 403/,
      );
    } finally {
      graph.forbidden.delete(MAILBOX);
    }
    assert.equal(
      (await s.send(mail('T-1003.ack'))).duplicate,
      false,
      'nothing was recorded for the refused send',
    );
  });
});
