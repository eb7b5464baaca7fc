import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { similarTickets } from '../../../src/domain/similar';

const past = [
  {
    ticketId: 'T-1',
    subject: 'Printer offline at reception',
    summary: 'Power-cycled the HP, re-added the queue',
    category: 'printer_peripheral' as const,
  },
  {
    ticketId: 'T-2',
    subject: 'VPN will not connect',
    summary: 'FortiClient profile re-imported',
    category: 'vpn_remote_access' as const,
  },
  {
    ticketId: 'T-3',
    subject: 'Reception printer jammed',
    summary: 'Cleared a paper jam in tray 2',
    category: 'printer_peripheral' as const,
  },
  {
    ticketId: 'T-4',
    subject: 'Locked out of Outlook',
    summary: 'Self-service reset link',
    category: 'password_reset' as const,
  },
];

describe('similar past tickets (BM25)', () => {
  it('ranks the closest solved tickets first, with how they were solved', () => {
    const r = similarTickets('The reception printer shows offline again', past, 3);
    assert.deepEqual(r.map((x) => x.ticketId).slice(0, 2), ['T-1', 'T-3']);
    assert.equal(r[0]?.score, 1);
    assert.equal(r[0]?.resolution, 'Power-cycled the HP, re-added the queue');
    assert.ok(!r.some((x) => x.ticketId === 'T-2'));
  });

  it('tolerates typos and word forms', () => {
    assert.equal(similarTickets('forticlent vpn disconnects', past, 3)[0]?.ticketId, 'T-2');
  });

  it('finds nothing when nothing is alike', () => {
    assert.deepEqual(similarTickets('quarterly budget spreadsheet', past, 3), []);
    assert.deepEqual(similarTickets('printer', [], 3), []);
  });
});
