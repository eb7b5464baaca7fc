import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { HttpRequest } from '@azure/functions';

import { signStatusToken } from '../../../src/domain/portal';
import { portalStatusHandler } from '../../../src/portal/portalStatus';
import { FakeWorkflow, InMemoryTicketStore, MemoryClients } from '../../support/fakes';
import { invocationContext } from '../../support/http';

const KEY = 'k'.repeat(40);
const NOW = new Date('2026-03-02T10:00:00Z');

async function setup() {
  const tickets = new InMemoryTicketStore();
  const workflow = new FakeWorkflow();
  const { ticket } = await tickets.create(
    {
      clientId: 'demo',
      requester: { name: 'Pat Lee', email: 'pat@demo.example' },
      subject: 'Printer offline',
      body: 'The printer says offline.',
      channel: 'portal',
    },
    NOW,
  );
  await workflow.ensureStarted({ ticketId: ticket.ticketId, clientId: 'demo' });
  await tickets.update(ticket.ticketId, () => ({ stage: 'closed' }), NOW);
  const handler = portalStatusHandler({
    tickets,
    clients: new MemoryClients(),
    workflow: () => workflow,
    linkSigningKey: KEY,
    publicBaseUrl: 'https://support.example',
    now: () => NOW,
  });
  const reply = (text: string, accept = 'application/json') =>
    handler(
      new HttpRequest({
        method: 'POST',
        url: `https://support.example/api/portal/demo/tickets/${ticket.ticketId}`,
        params: { clientId: 'demo', ticketId: ticket.ticketId },
        query: { token: signStatusToken(ticket, KEY) },
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
        body: { string: new URLSearchParams({ action: 'reply', text }).toString() },
      }),
      invocationContext(),
    );
  return { tickets, workflow, ticket, reply };
}

describe('POST /api/portal/{clientId}/tickets/{ticketId} (a reply)', () => {
  it('goes to the workflow while it runs (within the reopen window it asks "is it back?" or reopens)', async () => {
    const { workflow, ticket, reply } = await setup();
    const res = await reply('It is broken again');
    assert.equal(res.status, 200);
    assert.deepEqual(workflow.raised, [
      {
        ticketId: ticket.ticketId,
        event: { kind: 'reply', from: 'pat@demo.example', text: 'It is broken again' },
      },
    ]);
  });

  it('on a finished ticket files a linked follow-up, once, instead of answering 409', async () => {
    const { tickets, workflow, ticket, reply } = await setup();
    workflow.finished.add(ticket.ticketId);
    const res = await reply('It is broken again since this morning');
    assert.equal(res.status, 200, JSON.stringify(res.jsonBody));
    const body = res.jsonBody as { result: string; followUpStatusUrl: string };
    const followUpId = /T-\d+/.exec(body.result)?.[0] ?? '';
    assert.notEqual(followUpId, ticket.ticketId);
    const followUp = await tickets.get(followUpId);
    assert.ok(followUp);
    assert.equal(followUp.followUpOf, ticket.ticketId);
    assert.equal(followUp.channel, 'portal');
    assert.equal(followUp.requester.email, 'pat@demo.example');
    assert.match(followUp.body, /^Follow-up to T-\d+: It is broken again since this morning/);
    assert.ok(workflow.started.has(followUpId), 'its workflow started');
    assert.equal(
      followUp.statusLink,
      body.followUpStatusUrl,
      'its acknowledgement will carry its status page',
    );
    assert.match(body.followUpStatusUrl, new RegExp(`/api/portal/demo/tickets/${followUpId}\\?token=`));
    assert.deepEqual((await tickets.get(ticket.ticketId))?.followUps, [followUpId]);

    const again = await reply('It is broken again since this morning', 'text/html');
    assert.equal(again.status, 303, 'a browser goes to the follow-up’s status page');
    assert.equal((again.headers as Record<string, string>).location, body.followUpStatusUrl);
    assert.equal(tickets.tickets.size, 2, 'the same reply twice files one follow-up');
  });
});
