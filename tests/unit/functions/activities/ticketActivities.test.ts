import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createTicketActivities } from '../../../../src/functions/activities/ticketActivities';
import { InMemoryTicketStore, RecordingMail } from '../../../support/fakes';

describe('ticket activities', () => {
  it('acknowledge sends one mail and one timeline entry however often it runs', async () => {
    const tickets = new InMemoryTicketStore();
    const mail = new RecordingMail();
    const { ticket } = await tickets.create(
      {
        clientId: 'demo',
        requester: { email: 'sam@demo.example' },
        subject: 'VPN',
        body: 'no connect',
        channel: 'api',
      },
      new Date(),
    );
    const activities = createTicketActivities({ tickets, mail });
    const first = await activities.acknowledge({ ticketId: ticket.ticketId, at: '2026-03-02T10:00:00Z' });
    const again = await activities.acknowledge({ ticketId: ticket.ticketId, at: '2026-03-02T10:00:05Z' });
    assert.deepEqual([first.sent, again.sent], [true, false]);
    assert.equal(mail.sent.length, 1);
    assert.equal((await tickets.timeline(ticket)).length, 1);
  });

  it('classify records the result on the ticket', async () => {
    const tickets = new InMemoryTicketStore();
    const { ticket } = await tickets.create(
      {
        clientId: 'demo',
        requester: { email: 'a@b.co' },
        subject: 'Printer offline',
        body: 'The printer on floor 2 shows offline',
        channel: 'api',
      },
      new Date(),
    );
    const result = await createTicketActivities({ tickets, mail: new RecordingMail() }).classify({
      ticketId: ticket.ticketId,
      at: '2026-03-02T10:00:00Z',
    });
    const stored = await tickets.get(ticket.ticketId);
    assert.equal(result.category, 'printer_peripheral');
    assert.equal(stored?.stage, 'classified');
    assert.equal(stored?.category, 'printer_peripheral');
  });

  it('fails clearly for a ticket that does not exist', async () => {
    const activities = createTicketActivities({
      tickets: new InMemoryTicketStore(),
      mail: new RecordingMail(),
    });
    await assert.rejects(
      activities.acknowledge({ ticketId: 'T-4040', at: '2026-03-02T10:00:00Z' }),
      /ticket T-4040 not found/,
    );
  });
});
