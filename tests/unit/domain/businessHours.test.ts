import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  addBusinessTime,
  businessCalendar,
  type BusinessHours,
  businessTimeBetween,
  isBusinessTime,
} from '../../../src/domain/businessHours';
import { clockReaches, pauseClock, resumeClock, startClock } from '../../../src/domain/sla';

const london: BusinessHours = {
  timeZone: 'Europe/London',
  days: [1, 2, 3, 4, 5],
  start: '08:00',
  end: '18:00',
};
const HOUR = 3_600_000;
const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('business-hours arithmetic', () => {
  it('adds time within a working day', () => {
    assert.equal(
      iso(addBusinessTime(t('2026-03-02T10:00:00Z'), 4 * HOUR, london)),
      '2026-03-02T14:00:00.000Z',
    );
  });

  it('carries over the evening and the weekend', () => {
    assert.equal(
      iso(addBusinessTime(t('2026-03-06T16:00:00Z'), 4 * HOUR, london)),
      '2026-03-09T10:00:00.000Z',
    );
    assert.equal(iso(addBusinessTime(t('2026-03-07T12:00:00Z'), HOUR, london)), '2026-03-09T09:00:00.000Z');
  });

  it('follows daylight saving time in the client’s zone', () => {
    // London moves to BST on 29 March 2026: 08:00 local is 07:00 UTC from then on.
    assert.equal(iso(addBusinessTime(t('2026-03-30T05:00:00Z'), HOUR, london)), '2026-03-30T08:00:00.000Z');
    const newYork: BusinessHours = {
      timeZone: 'America/New_York',
      days: [1, 2, 3, 4, 5],
      start: '09:00',
      end: '17:00',
    };
    assert.equal(
      iso(addBusinessTime(t('2026-03-02T12:00:00Z'), 30 * 60_000, newYork)),
      '2026-03-02T14:30:00.000Z',
    );
  });

  it('measures business time between two instants', () => {
    assert.equal(businessTimeBetween(t('2026-03-06T17:00:00Z'), t('2026-03-09T09:00:00Z'), london), 2 * HOUR);
    assert.equal(businessTimeBetween(t('2026-03-07T00:00:00Z'), t('2026-03-08T23:00:00Z'), london), 0);
  });

  it('knows when the office is open', () => {
    assert.equal(isBusinessTime(t('2026-03-02T07:59:00Z'), london), false);
    assert.equal(isBusinessTime(t('2026-03-02T08:00:00Z'), london), true);
    assert.equal(isBusinessTime(t('2026-03-07T10:00:00Z'), london), false);
  });

  it('refuses a profile with no working days', () => {
    assert.throws(() => addBusinessTime(0, HOUR, { ...london, days: [] }), /never open/);
  });
});

describe('the SLA resolution clock', () => {
  it('stops while paused and resumes with what is left', () => {
    let clock = startClock('standard', t('2026-03-02T10:00:00Z'));
    assert.equal(iso(clockReaches(clock, 1, london) ?? 0), '2026-03-02T14:00:00.000Z');
    assert.equal(iso(clockReaches(clock, 0.75, london) ?? 0), '2026-03-02T13:00:00.000Z');
    clock = pauseClock(clock, t('2026-03-02T11:00:00Z'), london);
    assert.equal(clockReaches(clock, 1, london), undefined);
    clock = resumeClock(clock, t('2026-03-03T09:00:00Z'));
    assert.equal(iso(clockReaches(clock, 1, london) ?? 0), '2026-03-03T12:00:00.000Z');
  });
});

describe('businessCalendar', () => {
  it('gives what businessTimeBetween gives, across weekends and the clocks going forward, and outside its span', () => {
    const sydney: BusinessHours = {
      timeZone: 'Australia/Sydney',
      days: [1, 2, 3, 4, 5, 6],
      start: '07:30',
      end: '19:00',
    };
    let seed = 11;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const from = Date.parse('2026-03-20T00:00:00Z');
    const to = Date.parse('2026-04-20T00:00:00Z');
    for (const hours of [london, sydney]) {
      const calendar = businessCalendar(from, to, hours);
      for (let i = 0; i < 300; i++) {
        const a = from - 3 * 86_400_000 + Math.floor(rnd() * 36 * 86_400_000);
        const b = a + Math.floor(rnd() * 9 * 86_400_000);
        assert.equal(
          calendar(a, b),
          businessTimeBetween(a, b, hours),
          `${new Date(a).toISOString()} ${new Date(b).toISOString()}`,
        );
      }
      assert.equal(calendar(to, from), 0);
    }
  });
});
