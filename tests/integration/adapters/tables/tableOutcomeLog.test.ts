import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { PARALLEL_SLICES, TableOutcomeLog } from '../../../../src/adapters/tables/tableOutcomeLog';
import type { OutcomeEvent } from '../../../../src/domain/metrics';
import { countRows, freshTable } from '../../../support/storage';

const at = (minutes: number) => new Date(Date.parse('2026-03-02T10:00:00Z') + minutes * 60_000).toISOString();
const base = { clientId: 'acme', ticketId: 'T-1001', receivedAt: at(0) };
/** A ticket's first event: it files the ticket's summary under when it was received. */
const received = (ticketId: string, receivedAt: string, clientId = 'acme'): OutcomeEvent => ({
  clientId,
  ticketId,
  receivedAt,
  step: 'received',
  at: receivedAt,
  kind: 'received',
  channel: 'api',
});

describe('TableOutcomeLog on Azurite', () => {
  it('records each (ticket, step) once and folds it into the summary once, however often it is retried', async () => {
    const table = await freshTable('outcomes');
    const log = new TableOutcomeLog(table);
    const events: OutcomeEvent[] = [
      { ...base, step: 'received', at: at(0), kind: 'received', channel: 'api' },
      { ...base, step: 'acknowledged', at: at(1), kind: 'acknowledged' },
      { ...base, step: 'escalation-0-1', at: at(5), kind: 'escalated', tier: 1, reason: 'no', cycle: 0 },
      { ...base, step: 'resolved-by-engineer-0', at: at(65), kind: 'resolved', by: 'engineer', cycle: 0 },
    ];
    for (const e of [...events, ...events]) await log.record(e);
    const [summary] = await log.summaries('acme', new Date(at(0)), new Date(at(1)));
    assert.equal(summary?.ticketId, 'T-1001');
    assert.equal(summary?.acknowledgedAt, at(1));
    assert.equal(summary?.escalations.length, 1);
    assert.deepEqual(
      summary?.resolutions.map((r) => r.by),
      ['engineer'],
    );
    assert.deepEqual(
      (await log.events('acme', 'T-1001')).map((e) => e.step),
      ['received', 'acknowledged', 'escalation-0-1', 'resolved-by-engineer-0'],
    );
    assert.equal(await countRows(table), 5, 'four events and one summary');
  });

  it('several events of a ticket in one write; a retry that brings a new one records only the new one', async () => {
    const table = await freshTable('outcomes');
    const log = new TableOutcomeLog(table);
    const received: OutcomeEvent = { ...base, step: 'received', at: at(0), kind: 'received', channel: 'api' };
    const acknowledged: OutcomeEvent = { ...base, step: 'acknowledged', at: at(1), kind: 'acknowledged' };
    const answered: OutcomeEvent = {
      ...base,
      step: 'answer-resolved',
      at: at(9),
      kind: 'answered',
      answer: 'yes',
    };
    await log.record(received, acknowledged);
    await log.record(received, acknowledged);
    await log.record(acknowledged, answered);
    const [s] = await log.summaries('acme', new Date(at(0)), new Date(at(1)));
    assert.deepEqual(
      [s?.channel, s?.acknowledgedAt, s?.answer],
      ['api', at(1), { answer: 'yes', at: at(9) }],
    );
    assert.equal(await countRows(table), 4, 'three events and one summary');
  });

  it('concurrent writers to one summary (a rating racing the workflow) lose nothing', async () => {
    const log = new TableOutcomeLog(await freshTable('outcomes'));
    await Promise.all([
      log.record({ ...base, step: 'rated-a', at: at(100), kind: 'rated', score: 4 }),
      log.record({ ...base, step: 'closed', at: at(90), kind: 'closed' }),
      log.record({ ...base, step: 'sla-warning', at: at(30), kind: 'sla_warning' }),
      log.record({ ...base, step: 'sla-breach', at: at(40), kind: 'sla_breach' }),
      log.record({ ...base, step: 'acknowledged', at: at(1), kind: 'acknowledged' }),
    ]);
    const [s] = await log.summaries('acme', new Date(at(0)), new Date(at(1)));
    assert.deepEqual(
      [s?.rating?.score, s?.closedAt, s?.slaWarnedAt, s?.slaBreachedAt, s?.acknowledgedAt],
      [4, at(90), at(30), at(40), at(1)],
    );
  });

  it("a ticket's next step writes the summary this process wrote last, unread; a stale one is read again", async () => {
    const table = await freshTable('outcomes');
    let summaryReads = 0;
    table.pipeline.addPolicy({
      name: 'countSummaryReads',
      sendRequest: (request, next) => {
        if (request.method === 'GET' && decodeURIComponent(request.url).includes("RowKey='t|"))
          summaryReads++;
        return next(request);
      },
    });
    const log = new TableOutcomeLog(table);
    await log.record(
      { ...base, step: 'received', at: at(0), kind: 'received', channel: 'api' },
      { ...base, step: 'acknowledged', at: at(1), kind: 'acknowledged' },
    );
    await log.record({ ...base, step: 'sla-warning', at: at(30), kind: 'sla_warning' });
    await log.record({ ...base, step: 'closed', at: at(90), kind: 'closed' });
    assert.equal(summaryReads, 1, 'the first step looks for a summary; the next ones know it');
    // Another instance changes the summary: this one's next write fails on the ETag, reads, folds in.
    await new TableOutcomeLog(table).record({ ...base, step: 'sla-breach', at: at(40), kind: 'sla_breach' });
    await log.record({ ...base, step: 'rated-a', at: at(100), kind: 'rated', score: 4 });
    const [s] = await log.summaries('acme', new Date(at(0)), new Date(at(1)));
    assert.deepEqual(
      [s?.acknowledgedAt, s?.slaWarnedAt, s?.slaBreachedAt, s?.closedAt, s?.rating?.score],
      [at(1), at(30), at(40), at(90), 4],
    );
  });

  it('reads only the range asked for: tickets by when they were received, interruptions by when they happened', async () => {
    const log = new TableOutcomeLog(await freshTable('outcomes'));
    const day = 24 * 60;
    for (let i = 0; i < 20; i++) {
      const receivedAt = at(i * day);
      await log.record(received(`T-${2000 + i}`, receivedAt));
      await log.recordInterruption({
        clientId: 'acme',
        ticketId: `T-${2000 + i}`,
        key: 'escalation-1',
        at: at(i * day + 5),
        kind: 'escalation',
        tier: 1,
      });
    }
    await log.record(received('T-9', at(day), 'other'));
    // Retried: the same notification key counts once.
    await log.recordInterruption({
      clientId: 'acme',
      ticketId: 'T-2003',
      key: 'escalation-1',
      at: at(3 * day + 5),
      kind: 'escalation',
      tier: 1,
    });
    const from = new Date(at(3 * day));
    const to = new Date(at(13 * day));
    const ids = (await log.summaries('acme', from, to)).map((s) => s.ticketId);
    assert.deepEqual(
      ids,
      Array.from({ length: 10 }, (_, i) => `T-${2003 + i}`),
      'from inclusive, to exclusive, in order',
    );
    assert.equal((await log.interruptions('acme', from, to)).length, 10);

    await log.recordSelfServiceDeflection({ clientId: 'acme', key: 'portal-1', at: at(4 * day) });
    await log.recordSelfServiceDeflection({ clientId: 'acme', key: 'portal-1', at: at(4 * day) });
    await log.recordSelfServiceDeflection({ clientId: 'acme', key: 'portal-2', at: at(20 * day) });
    assert.equal(await log.selfServiceDeflections('acme', from, to), 1);
  });

  it('reads a year in a few queries, not one per week: each query costs Azurite a scan of the whole table', async () => {
    const table = await freshTable('outcomes');
    const log = new TableOutcomeLog(table);
    const day = 24 * 60;
    for (let week = 0; week < 52; week += 4) {
      const receivedAt = at(week * 7 * day);
      const ticketId = `T-${3000 + week}`;
      await log.record(received(ticketId, receivedAt));
      await log.recordInterruption({
        clientId: 'acme',
        ticketId,
        key: 'p1',
        at: at(week * 7 * day + 1),
        kind: 'p1_page',
        tier: 1,
      });
    }
    let requests = 0;
    table.pipeline.addPolicy({
      name: 'countRequests',
      sendRequest: (request, next) => {
        requests++;
        return next(request);
      },
    });
    const [from, to] = [new Date(at(-day)), new Date(at(365 * day))];
    assert.equal((await log.summaries('acme', from, to)).length, 13);
    assert.ok(requests <= PARALLEL_SLICES, `summaries of a year: ${requests} queries`);
    requests = 0;
    assert.equal((await log.interruptions('acme', from, to)).length, 13);
    assert.ok(requests <= PARALLEL_SLICES, `interruptions of a year: ${requests} queries`);
    requests = 0;
    // A range shorter than a day per slice is one query.
    assert.equal((await log.summaries('acme', new Date(at(0)), new Date(at(60)))).length, 1);
    assert.equal(requests, 1);
  });
});
