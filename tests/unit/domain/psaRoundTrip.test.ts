import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parsePsaMapping } from '../../../src/domain/psa';
import {
  companyForClient,
  type PsaActivity,
  psaStatusMeaning,
  psaSummary,
  psaWorkflowEvents,
  ticketIdInSummary,
} from '../../../src/domain/psaRoundTrip';

const mapping = parsePsaMapping(
  JSON.stringify({
    companies: { DemoDental: 'demo', '250': 'demo', '300': 'other' },
    statuses: { waiting_on_requester: '5', resolved: '7', closed: '8' },
    selfIds: ['autotier'],
  }),
);
const note = (id: string, text: string, over: Partial<PsaActivity> = {}): PsaActivity => ({
  id,
  kind: 'note',
  text,
  public: false,
  byEngineer: true,
  authorId: 'jsmith',
  authorName: 'Jo Smith',
  ...over,
});
const events = (status: string, activity: PsaActivity[], seen: string[] = []) =>
  psaWorkflowEvents({
    vendor: 'connectwise',
    mapping,
    psaTicketId: '601',
    state: { status, activity },
    seen: (key) => seen.includes(key),
  });

describe('the PSA round trip', () => {
  it('tags the summary with the reference, whole, within the vendor’s limit, and reads it back', () => {
    const summary = psaSummary('connectwise', 'x'.repeat(300), 'T-1042');
    assert.equal(summary.length, 100);
    assert.ok(summary.endsWith(' (autotier T-1042)'));
    assert.equal(ticketIdInSummary(summary), 'T-1042');
    assert.equal(ticketIdInSummary('Printer offline'), undefined);
  });

  it('finds the client’s company, an id first', () => {
    assert.equal(companyForClient('autotask', mapping, 'demo'), '250');
    assert.equal(companyForClient('connectwise', mapping, 'nobody'), undefined);
  });

  it('reads statuses through the mapping, with the vendors’ closed defaults when it names none', () => {
    assert.equal(psaStatusMeaning('connectwise', mapping, { status: '5' }), 'waiting');
    assert.equal(psaStatusMeaning('connectwise', mapping, { status: '8' }), 'resolved');
    assert.equal(psaStatusMeaning('connectwise', mapping, { status: '1', closed: true }), 'resolved');
    assert.equal(psaStatusMeaning('autotask', parsePsaMapping(undefined), { status: '5' }), 'resolved');
    assert.equal(psaStatusMeaning('halopsa', parsePsaMapping(undefined), { status: '9' }), 'resolved');
    assert.equal(psaStatusMeaning('halopsa', mapping, { status: '3' }), 'open');
  });

  it('internal notes and time entries are plans, public notes updates; autotier’s own, the contact’s and seen ones are left out', () => {
    const out = events(
      '3',
      [
        note('1', 'The description', { byEngineer: false, public: true, authorId: undefined }),
        note('2', 'Checked the DC', {}),
        note('3', 'Worked 30 minutes', { kind: 'time' }),
        note('4', 'Please restart and tell me', { public: true }),
        note('5', 'Escalated ...\n\n[autotier T-1001 escalation-0-1]', { authorId: 'someone' }),
        note('6', 'by the API member', { authorId: 'autotier' }),
        note('7', 'Old news'),
      ],
      ['psa.connectwise.601.note.7'],
    );
    assert.deepEqual(
      out.map((e) => [e.keys, e.event.kind]),
      [
        [['psa.connectwise.601.note.2'], 'plan'],
        [['psa.connectwise.601.time.3'], 'plan'],
        [['psa.connectwise.601.note.4'], 'update'],
        [[], 'waiting'],
      ],
    );
    assert.deepEqual(out[2]?.event, { kind: 'update', by: 'Jo Smith', text: 'Please restart and tell me' });
    assert.deepEqual(out[3]?.event, { kind: 'waiting', waiting: false, by: 'an engineer in ConnectWise' });
  });

  it('a close carries the notes written with it: internal ones as its note, public ones for the requester', () => {
    const [only, ...rest] = events('8', [
      note('2', 'Cleared the lockout'),
      note('3', 'All fixed, try now', { public: true }),
    ]);
    assert.equal(rest.length, 0);
    assert.deepEqual(only, {
      keys: ['psa.connectwise.601.note.2', 'psa.connectwise.601.note.3'],
      event: {
        kind: 'resolved',
        by: 'Jo Smith',
        note: 'Cleared the lockout',
        publicNote: 'All fixed, try now',
        source: 'psa',
      },
    });
    assert.deepEqual(events('8', [])[0]?.event, {
      kind: 'resolved',
      by: 'an engineer in ConnectWise',
      note: 'Closed in ConnectWise',
      source: 'psa',
    });
  });
});
