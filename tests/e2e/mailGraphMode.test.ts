import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { type FakeGraph, startFakeGraph } from '../support/fakeGraph';
import { appUnderTest } from '../support/ticketApi';

const MAILBOX = 'helpdesk@msp.example';

describe('AUTOTIER_MAIL_MODE=graph: mail goes out from the MSP’s own support mailbox', () => {
  let graph: FakeGraph;
  before(async () => {
    graph = await startFakeGraph();
    process.env.AUTOTIER_MAIL_MODE = 'graph';
    process.env.AUTOTIER_SUPPORT_MAILBOX = MAILBOX;
    process.env.AUTOTIER_GRAPH_AUTH = 'none';
    process.env.AUTOTIER_GRAPH_BASE_URL = graph.url;
  });
  after(() => graph.close());
  const app = appUnderTest();

  it('acknowledges and sends the guide through Graph sendMail, Reply-To the mailbox', async () => {
    await app.api.file(
      'lee@demo.example',
      'VPN will not connect',
      'FortiClient says the gateway is unreachable',
    );
    const toLee = graph.sent.filter(
      (m) =>
        (m.message.toRecipients as { emailAddress: { address: string } }[])[0]?.emailAddress.address ===
        'lee@demo.example',
    );
    assert.ok(toLee.length >= 2, `acknowledgement and guide, got ${toLee.length}`);
    assert.ok(toLee.every((m) => m.mailbox === MAILBOX));
    assert.ok(toLee.some((m) => String(m.message.subject).includes("We've got your request")));
    assert.deepEqual(toLee[0]?.message.replyTo, [{ emailAddress: { address: MAILBOX } }]);
  });
});
