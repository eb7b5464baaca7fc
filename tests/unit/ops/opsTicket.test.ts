import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { HttpRequest } from '@azure/functions';

import { opsTicketHandler } from '../../../src/ops/opsTicket';
import type { TicketAlertLog } from '../../../src/ports/alertDelivery';
import { FakeWorkflowMonitor, InMemoryTicketStore } from '../../support/fakes';
import { invocationContext } from '../../support/http';

const now = new Date('2026-03-02T12:00:00.000Z');
const noAlerts: TicketAlertLog = { alertsFor: () => Promise.resolve({ raised: [], failed: [] }) };

function handlers() {
  const tickets = new InMemoryTicketStore();
  const monitor = new FakeWorkflowMonitor();
  return {
    tickets,
    ticket: opsTicketHandler({
      tickets,
      alerts: noAlerts,
      monitor: () => monitor,
      now: () => now,
      signIn: false,
    }),
  };
}

const get = (url: string, headers: Record<string, string> = {}, params: Record<string, string> = {}) =>
  new HttpRequest({ method: 'GET', url, headers, params });

describe('GET /api/ops/tickets/{ticketId} handler', () => {
  it('a ticket page: 400 for what is not a ticket id, 404 for an unknown one, 200 with the ticket', async () => {
    const { ticket, tickets } = handlers();
    const at = (id: string) =>
      ticket(get(`http://localhost/api/ops/tickets/${id}`, {}, { ticketId: id }), invocationContext());
    assert.equal((await at('../etc')).status, 400);
    assert.equal((await at('T-404')).status, 404);
    const { ticket: t } = await tickets.create(
      { clientId: 'demo', requester: { email: 'a@b.example' }, subject: 'VPN', body: 'x', channel: 'api' },
      now,
    );
    const res = await at(t.ticketId);
    assert.equal(res.status, 200);
    assert.match(res.body as string, new RegExp(`<h1>${t.ticketId}: VPN</h1>`));
  });
});
