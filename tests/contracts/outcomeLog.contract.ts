import assert from 'node:assert/strict';
import { it } from 'node:test';

import type { OutcomeEvent } from '../../src/domain/metrics';
import type { OutcomeLog } from '../../src/ports/outcomeLog';

const at = (minutes: number) => new Date(Date.parse('2026-03-02T10:00:00Z') + minutes * 60_000).toISOString();
const day = (n: number) => new Date(Date.parse('2026-03-02T00:00:00Z') + n * 86_400_000);
const of = (ticketId: string, receivedAt = at(0)) => ({ clientId: 'acme', ticketId, receivedAt });

/** What every OutcomeLog does, the Table adapter being the specification. `make` gives an empty one. */
export function outcomeLogContract(make: () => Promise<OutcomeLog>): void {
  it('records each (ticket, step) once, returns what was new, and folds it into the summary once', async () => {
    const log = await make();
    const received: OutcomeEvent = {
      ...of('T-1'),
      step: 'received',
      at: at(0),
      kind: 'received',
      channel: 'api',
    };
    const acked: OutcomeEvent = { ...of('T-1'), step: 'acknowledged', at: at(1), kind: 'acknowledged' };
    assert.deepEqual(await log.record(received), [received]);
    assert.deepEqual(await log.record(received, acked), [acked]);
    assert.deepEqual(await log.record(received, acked), []);
    const [summary] = await log.summaries('acme', day(0), day(1));
    assert.equal(summary?.ticketId, 'T-1');
    assert.equal(summary?.channel, 'api');
    assert.equal(summary?.acknowledgedAt, at(1));
  });

  it('refuses events of two tickets in one call', async () => {
    const log = await make();
    await assert.rejects(
      log.record(
        { ...of('T-1'), step: 'received', at: at(0), kind: 'received', channel: 'api' },
        { ...of('T-2'), step: 'received', at: at(0), kind: 'received', channel: 'api' },
      ),
    );
  });

  it("a ticket's events come back in time order, whatever order they were recorded in", async () => {
    const log = await make();
    await log.record({ ...of('T-1'), step: 'acknowledged', at: at(1), kind: 'acknowledged' });
    await log.record({ ...of('T-1'), step: 'received', at: at(0), kind: 'received', channel: 'api' });
    assert.deepEqual(
      (await log.events('acme', 'T-1')).map((e) => e.step),
      ['received', 'acknowledged'],
    );
    assert.deepEqual(await log.events('globex', 'T-1'), []);
  });

  it('summaries: the tickets received in [from, to), in the order received, of that client only', async () => {
    const log = await make();
    for (const [id, received] of [
      ['T-3', day(2).toISOString()],
      ['T-1', day(0).toISOString()],
      ['T-2', day(1).toISOString()],
    ] as const)
      await log.record({
        ...of(id, received),
        step: 'received',
        at: received,
        kind: 'received',
        channel: 'api',
      });
    await log.record({
      clientId: 'globex',
      ticketId: 'T-9',
      receivedAt: day(1).toISOString(),
      step: 'received',
      at: day(1).toISOString(),
      kind: 'received',
      channel: 'api',
    });
    assert.deepEqual(
      (await log.summaries('acme', day(0), day(3))).map((s) => s.ticketId),
      ['T-1', 'T-2', 'T-3'],
    );
    assert.deepEqual(
      (await log.summaries('acme', day(1), day(2))).map((s) => s.ticketId),
      ['T-2'],
    );
  });

  it('interruptions: once per (ticket, key), in time order, within [from, to)', async () => {
    const log = await make();
    const page = { clientId: 'acme', ticketId: 'T-1', kind: 'p1_page', tier: 1 };
    await log.recordInterruption({ ...page, key: 'b', at: at(30) });
    await log.recordInterruption({ ...page, key: 'a', at: at(10) });
    await log.recordInterruption({ ...page, key: 'a', at: at(20) });
    await log.recordInterruption({ ...page, key: 'late', at: day(5).toISOString() });
    assert.deepEqual(
      (await log.interruptions('acme', day(0), day(1))).map((i) => [i.key, i.at]),
      [
        ['a', at(10)],
        ['b', at(30)],
      ],
    );
  });

  it('self-service deflections: counted once per key, within [from, to)', async () => {
    const log = await make();
    await log.recordSelfServiceDeflection({ clientId: 'acme', key: 's1', at: at(0) });
    await log.recordSelfServiceDeflection({ clientId: 'acme', key: 's1', at: at(5) });
    await log.recordSelfServiceDeflection({ clientId: 'acme', key: 's2', at: at(5), articleId: 'kb-1' });
    await log.recordSelfServiceDeflection({ clientId: 'acme', key: 's3', at: day(3).toISOString() });
    assert.equal(await log.selfServiceDeflections('acme', day(0), day(1)), 2);
    assert.equal(await log.selfServiceDeflections('globex', day(0), day(1)), 0);
  });
}
