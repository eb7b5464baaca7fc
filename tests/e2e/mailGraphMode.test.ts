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

  it('pauses the acknowledgement at intake for every intake once the mail service keeps refusing', async () => {
    // The mailbox may not send (Graph answers 403): three API tickets miss their acknowledgement
    // at intake, and the mail is left to each workflow.
    graph.forbidden.add(MAILBOX.toLowerCase());
    for (const n of [1, 2, 3]) {
      const id = await app.api.file(`miss${n}@demo.example`, 'Mouse not working', 'It stopped working');
      assert.equal(await app.api.acknowledgedAt(id), undefined, `ticket ${n}: no acknowledgement at intake`);
    }
    graph.forbidden.delete(MAILBOX.toLowerCase());

    // The portal is another function, but the same mail service: it does not try again until the
    // pause is over, however many functions take tickets.
    const form = await fetch(`${app.rt.runtime.url}/api/portal/demo`, { headers: { accept: 'text/html' } });
    const token = /name="form" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const filed = await fetch(`${app.rt.runtime.url}/api/portal/demo/tickets`, {
      method: 'POST',
      redirect: 'manual',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        form: token,
        email: 'portal@demo.example',
        name: 'Pat Kim',
        subject: 'Mouse not working',
        description: 'My wireless mouse stopped working',
      }).toString(),
    });
    assert.equal(filed.status, 303);
    await app.rt.runtime.drain();
    const portalTicket = /tickets\/(T-\d+)/.exec(filed.headers.get('location') ?? '')?.[1] ?? '';
    assert.ok(portalTicket);
    assert.equal(await app.api.acknowledgedAt(portalTicket), undefined, 'paused for the portal too');
    const toPortal = graph.sent.filter((m) => JSON.stringify(m.message.toRecipients).includes('portal@'));
    assert.ok(
      toPortal.some((m) => String(m.message.subject).includes("We've got your request")),
      'its workflow sent the acknowledgement',
    );

    // After the pause the intake tries again, and the acknowledgement goes out at once.
    await app.rt.runtime.advance(61_000);
    const after = await app.api.file('after@demo.example', 'Mouse not working', 'It stopped working');
    assert.ok(await app.api.acknowledgedAt(after), 'acknowledged at intake once the pause is over');
  });
});
