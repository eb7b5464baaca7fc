/**
 * The local engine writes the histories the Durable extension writes: the conformance
 * orchestrators run here and their histories are compared, id for id, with the hand-written
 * extension histories that durable-functions itself replays in tests/conformance.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { TICKET_EVENT } from '../../../../src/domain/lifecycle';
import {
  inboxWindowHistory,
  rawLongTimerHistory,
  REPLY,
  REPLY2,
  retryThenHandOverHistory,
} from '../../../support/conformanceHistories';
import { EventType } from '../../../support/extensionHistory';
import { type FixtureRuntime, startFixtureRuntime } from '../../../support/fixtureApp';

const SECOND = 1000;
const DAY = 24 * 3600 * SECOND;
const NAMES = Object.fromEntries(Object.entries(EventType).map(([k, v]) => [v, k]));

/** The scheduling facts of a history: what was scheduled and fired under which id, what arrived. */
function facts(events: { EventType: number; [k: string]: unknown }[]): string[] {
  return events
    .map((e) => {
      const name = NAMES[e.EventType] ?? String(e.EventType);
      switch (e.EventType) {
        case EventType.TaskScheduled:
          return `${name} #${String(e.EventId)} ${String(e.Name)}`;
        case EventType.TimerCreated:
          return `${name} #${String(e.EventId)}`;
        case EventType.TaskCompleted:
        case EventType.TaskFailed:
          return `${name} #${String(e.TaskScheduledId)}`;
        case EventType.TimerFired:
          return `${name} #${String(e.TimerId)}`;
        case EventType.EventRaised:
          return `${name} ${String(e.Name)} ${String(e.Input)}`;
        default:
          return '';
      }
    })
    .filter(Boolean)
    .sort();
}

describe('local durable engine writes the extension’s histories', () => {
  let rt: FixtureRuntime;
  before(async () => {
    rt = await startFixtureRuntime();
  });
  after(async () => rt.runtime.stop());
  const history = async (id: string) => (await rt.runtime.engine.status(id))?.history ?? [];

  it('a cancelled 7-day timer: its first hop still fires, no further hop, and the orchestration hangs as on Azure', async () => {
    const t0 = rt.clock.now();
    await rt.start('rawLongTimer', 'raw-long');
    await rt.runtime.advance(DAY);
    await rt.raise('raw-long', 'answer', { answer: 'ok' });
    await rt.runtime.advance(4 * DAY + SECOND);
    assert.deepEqual(facts(await history('raw-long')), facts(rawLongTimerHistory(t0).at(-1)?.events ?? []));
    assert.equal((await rt.status('raw-long')).runtimeStatus, 'Running');
  });

  it('the ticket wait: the same ids for hops, cancelled timers, both replies and the end of the window', async () => {
    const t0 = rt.clock.now();
    await rt.start('inboxWindow', 'inbox-window', { end: new Date(t0 + 7 * DAY).toISOString() });
    await rt.runtime.advance(DAY);
    await rt.raise('inbox-window', TICKET_EVENT, REPLY);
    await rt.raise('inbox-window', TICKET_EVENT, REPLY2);
    await rt.runtime.advance(7 * DAY);
    assert.deepEqual(
      facts(await history('inbox-window')),
      facts(inboxWindowHistory(t0).at(-1)?.events ?? []),
    );
    const done = await rt.status('inbox-window');
    assert.equal(done.runtimeStatus, 'Completed');
    assert.deepEqual(done.output, { closed: 'window', seen: [REPLY, REPLY2] });
  });

  it('retries: a retry timer after every failed attempt, the last one too, with the back-off of each', async () => {
    const t0 = rt.clock.now();
    await rt.start('retryThenHandOver', 'retry-conf', { key: 'retry-conf', failTimes: 9 });
    await rt.runtime.advance(35 * SECOND);
    const events = await history('retry-conf');
    assert.deepEqual(facts(events), facts(retryThenHandOverHistory(t0).at(-1)?.events ?? []));
    const retryTimers = events
      .filter((e) => e.EventType === EventType.TimerCreated)
      .map((e) => (Date.parse(String(e.FireAt)) - t0) / SECOND);
    assert.deepEqual(retryTimers, [5, 15, 35]);
    assert.match(
      String(((await rt.status('retry-conf')).output as { handedOver?: string }).handedOver),
      /flaky failure 3$/,
    );
  });
});
