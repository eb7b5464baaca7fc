import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { OrchestrationContext, Task } from 'durable-functions';

import { Activities } from '../../../src/names';
import { proxyTicketActivities, type TicketActivityProxy } from '../../../src/workflow/activityProxy';

/** A context that records what the proxy schedules and answers each call with `result`. */
function recordingContext(result: unknown) {
  const calls: { name: string; retry: { maxNumberOfAttempts: number }; input: unknown }[] = [];
  const context = {
    df: {
      currentUtcDateTime: new Date('2025-03-04T05:06:07.000Z'),
      callActivityWithRetry: (name: string, retry: { maxNumberOfAttempts: number }, input: unknown) => {
        calls.push({ name, retry, input });
        return { result } as unknown as Task;
      },
    },
  } as unknown as OrchestrationContext;
  return { context, calls };
}

function run<T>(gen: Generator<Task, T, unknown>, answer: unknown): T {
  gen.next();
  const done = gen.next(answer);
  assert.equal(done.done, true);
  return done.value;
}

describe('proxyTicketActivities', () => {
  it('schedules the named activity with the ticket id, the orchestration time and the input', () => {
    const { context, calls } = recordingContext(undefined);
    const act = proxyTicketActivities(context, 'T-1');
    const result = run(act.classify({ autoThreshold: 0.7 }), { category: 'vpn_remote_access' });
    assert.deepEqual(result, { category: 'vpn_remote_access' });
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.name, Activities.classify);
    assert.deepEqual(calls[0]?.input, {
      ticketId: 'T-1',
      at: '2025-03-04T05:06:07.000Z',
      autoThreshold: 0.7,
    });
  });

  it('mail activities wait out a throttle longer than the others', () => {
    const { context, calls } = recordingContext(undefined);
    const act = proxyTicketActivities(context, 'T-1');
    run(act.sendUpdate({ kind: 'reminder', step: 'reminder-1' }), undefined);
    run(act.updateTicket({ step: 's', note: 'n' }), undefined);
    assert.deepEqual(
      calls.map((c) => [c.name, c.retry.maxNumberOfAttempts]),
      [
        [Activities.sendUpdate, 12],
        [Activities.updateTicket, 4],
      ],
    );
  });

  it('covers every registered activity name', () => {
    const { context } = recordingContext(undefined);
    assert.deepEqual(
      Object.keys(proxyTicketActivities(context, 'T-1')).sort(),
      Object.keys(Activities).sort(),
    );
  });
});

// Compile-time checks: this function never runs; `tsc` fails if a line below stops being an error.
export function* typeChecks(act: TicketActivityProxy): Generator<Task, void, unknown> {
  // @ts-expect-error a wrong input type
  yield* act.classify({ autoThreshold: 'high' });
  // @ts-expect-error an input field the activity does not take
  yield* act.notifyTier({ key: 'k', kind: 'escalation', tier: 1, message: 'm', colour: 'red' });
  // @ts-expect-error a missing required input
  yield* act.runPlaybook({ attempt: 1 });
  const ran = yield* act.runPlaybook({ attempt: 1, sla: {} as never });
  // @ts-expect-error a result used as the wrong type: the title exists only once narrowed by `ran`
  const title: string = ran.title;
  // @ts-expect-error void is not a value
  const nothing: string = yield* act.escalate({
    step: 's',
    tier: 1,
    reason: 'r',
    answer: 'no',
    sla: {} as never,
  });
  void title;
  void nothing;
}
