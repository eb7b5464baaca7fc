import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { health } from '../../../src/functions/http/health';
import { getTicketHandler } from '../../../src/tickets/getTicket';
import { FakeWorkflow, InMemoryTicketStore } from '../../support/fakes';
import { invocationContext, requestWithParams } from '../../support/http';

describe('GET /api/tickets/{ticketId} handler', () => {
  const tickets = new InMemoryTicketStore();
  const workflow = new FakeWorkflow();
  const handler = getTicketHandler({ tickets, workflow: () => workflow });
  const get = (ticketId: string) =>
    handler(requestWithParams(`http://localhost/api/tickets/${ticketId}`, { ticketId }), invocationContext());

  it('answers 400 for an id that is not a ticket id', async () => {
    const res = await get('../../etc');
    assert.equal(res.status, 400);
  });

  it('answers 404 for an unknown ticket', async () => {
    const res = await get('T-999999');
    assert.equal(res.status, 404);
    assert.match((res.jsonBody as { error: string }).error, /not found/);
  });

  it('shows the ticket with its stage, timeline and workflow status', async () => {
    const { ticket } = await tickets.create(
      { clientId: 'demo', requester: { email: 'a@b.co' }, subject: 'VPN', body: '', channel: 'api' },
      new Date('2026-03-02T10:00:00Z'),
    );
    await workflow.ensureStarted({ ticketId: ticket.ticketId, clientId: 'demo' });
    await tickets.appendTimeline(ticket, { step: 'acknowledged', at: '2026-03-02T10:00:01Z', note: 'ack' });
    const res = await get(ticket.ticketId);
    assert.equal(res.status, 200);
    const body = res.jsonBody as Record<string, unknown>;
    assert.equal(body.ticketId, ticket.ticketId);
    assert.equal(body.stage, 'received');
    assert.deepEqual(body.workflow, { stage: 'received' });
    assert.equal((body.timeline as unknown[]).length, 1);
    assert.ok(
      !('body' in body) && !('requester' in body),
      'no requester details or free text in the status view',
    );
  });
});

describe('GET /api/health handler', () => {
  it('says ok', () => {
    assert.deepEqual(health(), { status: 200, jsonBody: { status: 'ok' } });
  });
});
