import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  applyOutcome,
  computeMetrics,
  type OutcomeEvent,
  type TicketOutcomes,
} from '../../../src/domain/metrics';
import { humanDuration, metricsCsv, metricsHtml } from '../../../src/domain/report';

const HOURS = { timeZone: 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
const T0 = Date.parse('2026-03-02T10:00:00Z');

function summary(n: number, category: string, confirmed: boolean): TicketOutcomes {
  const base = {
    clientId: 'acme',
    ticketId: `T-${n}`,
    receivedAt: new Date(T0 + n * 86_400_000).toISOString(),
  };
  const at = (ms: number) => new Date(Date.parse(base.receivedAt) + ms).toISOString();
  const events: OutcomeEvent[] = [
    {
      ...base,
      step: 'classified',
      at: at(0),
      kind: 'classified',
      category,
      priority: 'P3',
      tier: 1,
      route: 'auto',
    },
    { ...base, step: 'responded', at: at(60_000), kind: 'responded', by: 'automation', via: 'guide' },
    confirmed
      ? { ...base, step: 'resolved', at: at(600_000), kind: 'resolved', by: 'requester', cycle: 0 }
      : { ...base, step: 'escalated', at: at(600_000), kind: 'escalated', tier: 1, reason: 'no', cycle: 0 },
    { ...base, step: 'closed', at: at(8 * 86_400_000), kind: 'closed' },
  ];
  return events.reduce<TicketOutcomes | undefined>(applyOutcome, undefined) as TicketOutcomes;
}

const metrics = computeMetrics({
  clientId: 'acme',
  from: Date.parse('2026-03-02'),
  to: Date.parse('2026-03-16'),
  now: Date.parse('2026-04-01'),
  hours: HOURS,
  summaries: [
    summary(0, 'printer_peripheral', true),
    summary(1, 'printer_peripheral', false),
    summary(8, 'vpn_remote_access', true),
  ],
  interruptions: [],
  selfServiceDeflections: 0,
});

describe('the report', () => {
  it('CSV: one row per week and category, every category in every week, plus the week’s totals', () => {
    const rows = metricsCsv(metrics).trimEnd().split('\r\n');
    assert.equal(rows.length, 1 + 2 * 3);
    assert.deepEqual(rows.slice(1), [
      '2026-03-02,all,2,1,0.5,1,0,1,0,1,10,0,0,',
      '2026-03-02,printer_peripheral,2,1,0.5,1,0,1,,,,,,',
      '2026-03-02,vpn_remote_access,0,0,0,0,0,0,,,,,,',
      '2026-03-09,all,1,1,1,1,0,0,0,1,10,0,0,',
      '2026-03-09,printer_peripheral,0,0,0,0,0,0,,,,,,',
      '2026-03-09,vpn_remote_access,1,1,1,1,0,0,,,,,,',
    ]);
  });

  it('HTML: one file, charts drawn in SVG, nothing fetched from elsewhere, names escaped', () => {
    const html = metricsHtml(metrics, 'Dr <Smith> & Partners', '2026-04-01T09:00:00Z');
    assert.match(html, /<h1>Support outcomes: Dr &lt;Smith&gt; &amp; Partners<\/h1>/);
    assert.equal((html.match(/<svg /g) ?? []).length, 4);
    assert.equal(
      (html.match(/role="img" aria-labelledby=/g) ?? []).length,
      4,
      'each chart is named for screen readers',
    );
    assert.match(
      html,
      /<b>66\.7%<\/b><span>resolved by automation and confirmed by the requester \(2 of 3\)<\/span>/,
    );
    assert.doesNotMatch(html, /<script|<link|<img|src=|url\(/);
    assert.match(html, /2 March 2026 to 15 March 2026/);
  });

  it('durations read as people say them', () => {
    assert.deepEqual(
      [
        null,
        45_000,
        12 * 60_000,
        3 * 3_600_000 + 20 * 60_000,
        2 * 86_400_000 + 4 * 3_600_000,
        86_400_000,
      ].map(humanDuration),
      ['–', '45 s', '12 min', '3 h 20 min', '2 days 4 h', '1 day'],
    );
  });
});
