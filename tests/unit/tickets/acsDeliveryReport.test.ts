import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { acsDeliveryReportHandler } from '../../../src/tickets/acsDeliveryReport';
import { InMemoryTicketStore, RecordingOps } from '../../support/fakes';
import { invocationContext } from '../../support/http';

/** Shaped as ACS documents EmailDeliveryReportReceived (Event Grid schema). */
const report = (messageId: string, status: string, statusMessage = '') => ({
  id: '5b8b3c71-3b5a-4b71-9f25-9a1c0c1e7f1d',
  topic: '/subscriptions/x/resourceGroups/rg/providers/microsoft.communication/communicationservices/acs',
  subject: `sender/DoNotReply@mail.example/message/${messageId}`,
  data: {
    sender: 'DoNotReply@mail.example',
    recipient: 'sam@demo.example',
    messageId,
    status,
    deliveryStatusDetails: { statusMessage },
    deliveryAttemptTimeStamp: '2026-03-02T10:00:05.123+00:00',
  },
  eventType: 'Microsoft.Communication.EmailDeliveryReportReceived',
  dataVersion: '1.0',
  metadataVersion: '1',
  eventTime: '2026-03-02T10:00:05Z',
});

async function setup() {
  const tickets = new InMemoryTicketStore();
  const { ticket } = await tickets.create(
    { clientId: 'demo', requester: { email: 'sam@demo.example' }, subject: 'VPN', body: 'x', channel: 'api' },
    new Date('2026-03-02T10:00:00Z'),
  );
  const keys = new Map([
    ['op-ack', `${ticket.ticketId}.ack`],
    ['op-guide', `${ticket.ticketId}.guide-1`],
  ]);
  const statuses = new Map<string, string>();
  const ops = new RecordingOps();
  const handler = acsDeliveryReportHandler({
    ledger: {
      keyOf: (id) => Promise.resolve(keys.get(id)),
      delivered: (key, status) => {
        statuses.set(key, status);
        return Promise.resolve();
      },
    },
    tickets,
    notifier: ops,
    now: () => new Date('2026-03-02T10:01:00Z'),
  });
  return { tickets, ticket, statuses, ops, handler };
}

describe('ACS delivery reports', () => {
  it('records a delivered mail and alerts nobody', async () => {
    const { ticket, statuses, ops, handler } = await setup();
    await handler(report('op-ack', 'Delivered'), invocationContext());
    assert.equal(statuses.get(`${ticket.ticketId}.ack`), 'Delivered');
    assert.equal(ops.log.size, 0);
  });

  it('a bounced guide: the timeline says so and tier 1 is told to reach the requester another way, once', async () => {
    const { tickets, ticket, ops, handler } = await setup();
    await handler(report('op-guide', 'Bounced', 'Mailbox unavailable'), invocationContext());
    await handler(report('op-guide', 'Bounced', 'Mailbox unavailable'), invocationContext());
    const timeline = await tickets.timeline(ticket);
    assert.equal(timeline.filter((e) => e.step === 'undelivered-guide-1').length, 1);
    assert.match(timeline.at(-1)?.note ?? '', /not delivered \(Bounced: Mailbox unavailable\)/);
    const alerts = [...ops.log.entries()].filter(([k]) => k.startsWith('notify|'));
    assert.equal(alerts.length, 1);
    assert.equal((alerts[0]?.[1] as { kind: string }).kind, 'mail_undelivered');
  });

  it('ignores other events and operations it did not send', async () => {
    const { ops, handler } = await setup();
    await handler(
      { ...report('op-ack', 'Failed'), eventType: 'Microsoft.Communication.SMSReceived' },
      invocationContext(),
    );
    await handler(report('someone-else', 'Failed'), invocationContext());
    assert.equal(ops.log.size, 0);
  });
});
