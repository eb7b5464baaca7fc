/**
 * Conformance: the orchestrators replayed by durable-functions itself over histories written the
 * way the Durable extension writes them. This is what runs on Azure, independent of the local
 * engine; tests/integration/local/durable checks that the local engine writes the same histories.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { inboxWindow, rawLongTimer, retryThenHandOver } from '../../../fixtures/durable-app/conformance';
import {
  inboxWindowHistory,
  rawLongTimerHistory,
  REPLY,
  REPLY2,
  retryThenHandOverHistory,
} from '../../../support/conformanceHistories';
import { EventType, type ExtensionHistory, replay, type WireAction } from '../../../support/extensionHistory';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const ActionType = { CallActivity: 0, CallActivityWithRetry: 1, CreateTimer: 5 };

/** What the host schedules for the orchestrator's actions, in order: ids are positions. */
function scheduledByOrchestrator(actions: WireAction[]) {
  return actions
    .filter((a) => a.actionType === ActionType.CreateTimer || a.actionType === ActionType.CallActivity)
    .map((a) =>
      a.actionType === ActionType.CreateTimer
        ? `timer ${new Date(a.fireAt ?? '').toISOString()}`
        : `task ${a.functionName ?? ''}`,
    );
}

function scheduledByHost(history: ExtensionHistory) {
  return history.events
    .filter((e) => e.EventType === EventType.TimerCreated || e.EventType === EventType.TaskScheduled)
    .sort((a, b) => a.EventId - b.EventId)
    .map((e) =>
      e.EventType === EventType.TimerCreated ? `timer ${String(e.FireAt)}` : `task ${String(e.Name)}`,
    );
}

describe('Durable conformance: extension-written histories replayed through durable-functions', () => {
  it('a 7-day timer cancelled after an answer desynchronises durable-functions 3.5.0 (why the workflow never does it)', async () => {
    const episodes = rawLongTimerHistory(T0);
    const last = episodes.at(-1);
    assert.ok(last);
    const result = await replay(rawLongTimer, last.events, null);
    // The cancelled timer's first hop fired on day 3; durable-functions tracked a next hop under
    // id 2, which the host never scheduled and gave to the activity instead. The activity's result
    // lands on that phantom hop, and the orchestration waits forever.
    assert.equal(result.isDone, false);
    assert.ok(
      result.actions.some((a) => a.functionName === 'echo'),
      'the activity was scheduled',
    );
  });

  it('the ticket wait (EventInbox): short hop timers only, cancelled ones firing later change nothing, two events in one episode both counted, the window ends on time', async () => {
    const episodes = inboxWindowHistory(T0);
    for (const [i, history] of episodes.entries()) {
      const result = await replay(inboxWindow, history.events, {
        end: new Date(T0 + 7 * 24 * 3600_000).toISOString(),
      });
      // After every episode the orchestrator's timers and tasks are exactly the host's, id for id.
      assert.deepEqual(scheduledByOrchestrator(result.actions), scheduledByHost(history), `episode ${i + 1}`);
      assert.ok(
        result.actions.every(
          (a) =>
            a.actionType !== ActionType.CreateTimer || Date.parse(String(a.fireAt)) - T0 <= 8 * 24 * 3600_000,
        ),
      );
      if (i < episodes.length - 1) assert.equal(result.isDone, false, `episode ${i + 1} is not the end`);
      else assert.deepEqual(result.output, { closed: 'window', seen: [REPLY, REPLY2] });
    }
  });

  it('a retried activity that keeps failing reaches the orchestrator after the last retry timer, which hands over', async () => {
    const episodes = retryThenHandOverHistory(T0);
    for (const [i, history] of episodes.entries()) {
      const result = await replay(retryThenHandOver, history.events, { key: 'k', failTimes: 9 });
      const expectHandOver = i >= 6;
      assert.deepEqual(
        result.actions.map((a) => a.functionName),
        expectHandOver ? ['flaky', 'echo'] : ['flaky'],
        `episode ${i + 1}`,
      );
      if (i === episodes.length - 1) {
        assert.equal(result.isDone, true);
        assert.match((result.output as { handedOver: string }).handedOver, /flaky failure 3$/);
      } else assert.equal(result.isDone, false);
    }
  });

  it('a retried activity that succeeds on the second attempt returns its result', async () => {
    const [, , third] = retryThenHandOverHistory(T0);
    assert.ok(third);
    const history = third.events.slice();
    const withSuccess = [
      ...history,
      {
        EventType: EventType.OrchestratorStarted,
        EventId: -1,
        IsPlayed: false,
        Timestamp: new Date(T0 + 6000).toISOString(),
      },
      {
        EventType: EventType.TaskCompleted,
        EventId: -1,
        IsPlayed: false,
        Timestamp: new Date(T0 + 6000).toISOString(),
        TaskScheduledId: 2,
        Result: '2',
      },
    ];
    const result = await replay(retryThenHandOver, withSuccess, { key: 'k', failTimes: 1 });
    assert.deepEqual(result.output, { result: 2 });
  });
});
