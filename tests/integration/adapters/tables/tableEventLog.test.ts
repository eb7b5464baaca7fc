import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { TableEventLog } from '../../../../src/adapters/tables/tableEventLog';
import type { EscalationPackage } from '../../../../src/domain/escalation';
import { freshTable } from '../../../support/storage';

describe('TableEventLog: the alerts of one ticket, for the ops page', () => {
  it('reads the alerts raised and the deliveries that failed (and later got through), not the PSA rows', async () => {
    const events = new TableEventLog(await freshTable('events'));
    const alert = (key: string, at: string) => ({
      key,
      ticketId: 'T-1042',
      clientId: 'demo',
      tier: 2,
      kind: 'escalation' as const,
      message: `escalated (${key})`,
      at,
    });
    await events.notify(alert('escalated-2', '2026-03-02T10:05:00.000Z'));
    await events.notify(alert('sla-warning', '2026-03-02T10:01:00.000Z'));
    await events.notify({ ...alert('other', '2026-03-02T10:00:00.000Z'), ticketId: 'T-1043' });
    await events.escalate({ ticketId: 'T-1042' } as EscalationPackage, 'escalate-1');
    const failure = {
      ticketId: 'T-1042',
      notificationKey: 'escalated-2',
      audience: 'tier2' as const,
      kind: 'escalation',
      attempt: 1,
      error: 'the webhook answered 502',
      at: '2026-03-02T10:05:03.000Z',
    };
    await events.alertDeliveryFailed({ ...failure, channel: 'webhook' });
    await events.alertDeliveryFailed({ ...failure, channel: 'email', error: 'mail refused' });
    await events.alertDeliveryRecovered(
      { ticketId: 'T-1042', notificationKey: 'escalated-2', channel: 'email' },
      { attempt: 2, at: '2026-03-02T10:06:00.000Z' },
    );

    const { raised, failed } = await events.alertsFor('T-1042');
    assert.deepEqual(
      raised.map((n) => n.key),
      ['sla-warning', 'escalated-2'],
    );
    assert.deepEqual(failed.map((f) => [f.channel, f.error, f.recovered]).sort(), [
      ['email', 'mail refused', { attempt: 2, at: '2026-03-02T10:06:00.000Z' }],
      ['webhook', 'the webhook answered 502', undefined],
    ]);
    assert.deepEqual(await events.alertsFor('T-9999'), { raised: [], failed: [] });
  });
});
