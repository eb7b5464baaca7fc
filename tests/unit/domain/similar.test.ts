import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CROSS_CATEGORY_SIMILARITY,
  MIN_SIMILARITY,
  type PastTicket,
  similarTickets,
} from '../../../src/domain/similar';

const past: PastTicket[] = [
  {
    ticketId: 'T-1',
    subject: 'Printer offline at reception',
    summary: 'Power-cycled the HP, re-added the queue',
    category: 'printer_peripheral',
  },
  {
    ticketId: 'T-2',
    subject: 'VPN will not connect',
    summary: 'FortiClient profile re-imported',
    category: 'vpn_remote_access',
  },
  {
    ticketId: 'T-3',
    subject: 'Reception printer jammed',
    summary: 'Cleared a paper jam in tray 2',
    category: 'printer_peripheral',
  },
  {
    ticketId: 'T-4',
    subject: 'Locked out of Outlook',
    summary: 'Self-service reset link',
    category: 'password_reset',
  },
];

/** The escalation that showed "Locked out" and "Need Visio" as similar tickets. */
const vpnEscalation =
  'VPN keeps disconnecting. Hi team, since this morning my VPN drops every hour or so and I have to ' +
  'reconnect. I am on FortiClient on my Dell laptop. Thanks, Sam';
const vpnPast: PastTicket[] = [
  {
    ticketId: 'T-10',
    subject: 'Locked out',
    summary: 'Unlocked the account in AD and reset the password',
    category: 'password_reset',
  },
  {
    ticketId: 'T-11',
    subject: 'Need Visio',
    summary: 'Assigned a Visio Plan 2 licence',
    category: 'software_access',
  },
  {
    ticketId: 'T-12',
    subject: 'VPN drops every hour',
    summary: 'Reinstalled FortiClient',
    category: 'vpn_remote_access',
  },
];

describe('similar past tickets', () => {
  it('offers the VPN fix for a VPN escalation, with an absolute score, and leaves out unrelated tickets', () => {
    const r = similarTickets(vpnEscalation, 'vpn_remote_access', vpnPast, 3);
    assert.deepEqual(
      r.map((x) => x.ticketId),
      ['T-12'],
    );
    assert.equal(r[0]?.resolution, 'Reinstalled FortiClient');
    assert.ok(r[0].score > 0.4 && r[0].score < 0.9, `a clear but not identical match: ${r[0]?.score}`);
    // the same without a category: relevance alone keeps them out
    assert.deepEqual(
      similarTickets(vpnEscalation, undefined, vpnPast, 3).map((x) => x.ticketId),
      ['T-12'],
    );
  });

  it('ranks the closest solved tickets of the category first, with how they were solved', () => {
    const r = similarTickets('The reception printer shows offline again', 'printer_peripheral', past, 3);
    assert.deepEqual(
      r.map((x) => x.ticketId),
      ['T-1', 'T-3'],
    );
    assert.equal(r[0]?.resolution, 'Power-cycled the HP, re-added the queue');
    assert.ok(r[0].score > r[1]!.score);
    assert.ok(r[0].score < 1, 'a good match is not a duplicate');
  });

  it('tolerates typos and word forms', () => {
    assert.equal(
      similarTickets('forticlent vpn disconnects', 'vpn_remote_access', past, 3)[0]?.ticketId,
      'T-2',
    );
    const forms = similarTickets('printers jamming', undefined, past, 3);
    assert.equal(forms[0]?.ticketId, 'T-3');
  });

  it('finds nothing when nothing is alike', () => {
    assert.deepEqual(similarTickets('quarterly budget spreadsheet', 'engineering', past, 3), []);
    assert.deepEqual(similarTickets('printer', 'printer_peripheral', [], 3), []);
    assert.deepEqual(similarTickets('', 'printer_peripheral', past, 3), []);
    assert.deepEqual(similarTickets('Hi team, thanks!', 'printer_peripheral', past, 3), []);
  });

  it('never offers a ticket that was reopened as how it was solved', () => {
    const reopened = vpnPast.map((p) => (p.ticketId === 'T-12' ? { ...p, reopened: true } : p));
    assert.deepEqual(similarTickets(vpnEscalation, 'vpn_remote_access', reopened, 3), []);
    // solved again after the reopen: the newest record is the one that counts
    const solvedAgain = [{ ...vpnPast[2]!, summary: 'Replaced the Wi-Fi adapter driver' }, ...reopened];
    const r = similarTickets(vpnEscalation, 'vpn_remote_access', solvedAgain, 3);
    assert.deepEqual(
      r.map((x) => [x.ticketId, x.resolution]),
      [['T-12', 'Replaced the Wi-Fi adapter driver']],
    );
  });

  describe('the score', () => {
    const text = 'Excel crashes when opening large files from SharePoint';
    const pool: PastTicket[] = [
      { ticketId: 'T-20', subject: text, summary: 'Repaired Office', category: 'software_error' },
      {
        ticketId: 'T-21',
        subject: 'Excel crashes on startup',
        summary: 'Disabled add-ins',
        category: 'software_error',
      },
      {
        ticketId: 'T-22',
        subject: 'SharePoint files missing',
        summary: 'Restored them from the recycle bin',
        category: 'software_access',
      },
      { ticketId: 'T-23', subject: 'Monitor flickers', summary: 'New cable', category: 'printer_peripheral' },
    ];
    const scores = (category: PastTicket['category'], tickets = pool) =>
      Object.fromEntries(similarTickets(text, category, tickets, 10).map((x) => [x.ticketId, x.score]));

    it('is near 1 for a near-duplicate, well below for a partial match, and nothing for an unrelated ticket', () => {
      const s = scores(undefined);
      assert.ok(s['T-20']! >= 0.9, `near-duplicate: ${s['T-20']}`);
      assert.ok(s['T-21']! < 0.5, `partial: ${s['T-21']}`);
      assert.ok(s['T-22']! < 0.5, `one shared word: ${s['T-22']}`);
      assert.equal(s['T-23'], undefined);
      for (const score of Object.values(s)) assert.ok(score >= MIN_SIMILARITY && score <= 1);
    });

    it('does not depend on how well the best ticket matches', () => {
      const withBest = scores(undefined);
      const withoutBest = scores(
        undefined,
        pool.filter((p) => p.ticketId !== 'T-20'),
      );
      assert.ok(withoutBest['T-21']! < 0.5, 'the best remaining hit is not promoted to 1');
      assert.ok(
        Math.abs(withoutBest['T-21']! - withBest['T-21']!) < 0.1,
        'only word rarity shifts it a little',
      );
    });

    it('puts relevant tickets of the category first; another category needs to be nearly the same', () => {
      assert.deepEqual(
        similarTickets(text, 'software_error', pool, 10).map((x) => x.ticketId),
        ['T-20', 'T-21'],
        'T-22 shares a word or two, which is not enough from another category',
      );
      const misfiled = similarTickets(text, 'software_access', pool, 10);
      assert.deepEqual(
        misfiled.map((x) => x.ticketId),
        ['T-22', 'T-20'],
        'the category first, then a near-duplicate filed elsewhere',
      );
      assert.ok(misfiled[1]!.score >= CROSS_CATEGORY_SIMILARITY && misfiled[1]!.score > misfiled[0]!.score);
    });

    it('counts a ticket listed twice once, and honours the limit', () => {
      const twice = [pool[0]!, pool[0]!, pool[1]!];
      assert.deepEqual(
        similarTickets(text, 'software_error', twice, 10).map((x) => x.ticketId),
        ['T-20', 'T-21'],
      );
      assert.equal(similarTickets(text, 'software_error', pool, 1).length, 1);
    });
  });
});
