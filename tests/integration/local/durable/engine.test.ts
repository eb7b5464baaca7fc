import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { type FixtureRuntime, startFixtureRuntime } from '../../../support/fixtureApp';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

describe('local durable runtime (durable-functions replay on Azurite)', () => {
  let rt: FixtureRuntime;
  before(async () => {
    rt = await startFixtureRuntime();
  });
  after(async () => rt.runtime.stop());

  describe('Task.any over a timer and an external event (durable-js issues 577, 558)', () => {
    it('event first: the orchestration takes the answer and the losing timer is cancelled', async () => {
      await rt.start('race', 'race-event-first');
      assert.equal((await rt.status('race-event-first')).runtimeStatus, 'Running');
      assert.deepEqual((await rt.status('race-event-first')).customStatus, { stage: 'waiting' });
      assert.equal((await rt.raise('race-event-first', 'answer', { yes: true })).status, 202);
      const done = await rt.status('race-event-first');
      assert.equal(done.runtimeStatus, 'Completed');
      assert.deepEqual(done.output, { outcome: 'answered', value: { yes: true } });
      const status = await rt.runtime.engine.status('race-event-first');
      assert.deepEqual(status?.state.pending, {}, 'no timer left pending');
      await rt.runtime.advance(2 * HOUR);
      assert.deepEqual((await rt.status('race-event-first')).output, {
        outcome: 'answered',
        value: { yes: true },
      });
    });

    it('timer first: the orchestration times out, and a late answer changes nothing', async () => {
      await rt.start('race', 'race-timer-first');
      await rt.runtime.advance(HOUR - 1000);
      assert.equal((await rt.status('race-timer-first')).runtimeStatus, 'Running');
      await rt.runtime.advance(1000);
      const done = await rt.status('race-timer-first');
      assert.equal(done.runtimeStatus, 'Completed');
      assert.deepEqual(done.output, { outcome: 'timeout' });
      const late = await rt.raise('race-timer-first', 'answer', { yes: true });
      assert.equal(late.status, 202, 'durable-functions treats 410 Gone from the host as a no-op');
      const direct = await fetch(
        `${rt.runtime.url}/durabletask/instances/race-timer-first/raiseEvent/answer`,
        { method: 'POST', body: '{}' },
      );
      assert.equal(direct.status, 410);
      assert.deepEqual((await rt.status('race-timer-first')).output, { outcome: 'timeout' });
    });

    it('an event raised before the orchestration waits for it is kept until it does', async () => {
      await rt.start('crashEvent', 'buffered-event');
      // crashEvent waits for "go" straight away; raise a different event first, then "go".
      await rt.raise('buffered-event', 'unrelated', 1);
      await rt.raise('buffered-event', 'go', 2);
      assert.equal((await rt.status('buffered-event')).runtimeStatus, 'Completed');
    });
  });

  it('EventInbox: an event raised while the orchestrator is busy after a lost race is not lost', async () => {
    await rt.start('inboxProbe', 'inbox-1');
    rt.clock.advance(HOUR); // no drain: let the timer fire and the slow activity start
    await new Promise((r) => setTimeout(r, 400));
    const raised = await fetch(`${rt.runtime.url}/durabletask/instances/inbox-1/raiseEvent/ticketEvent`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'resolved', by: 'x', note: 'while busy' }),
    });
    assert.equal(raised.status, 202);
    await rt.runtime.drain();
    const done = await rt.status('inbox-1');
    assert.equal(done.runtimeStatus, 'Completed');
    assert.deepEqual(done.output, {
      first: { kind: 'timer', name: 'tick' },
      second: { kind: 'event', event: { kind: 'resolved', by: 'x', note: 'while busy' } },
    });
  });

  describe('activities with retry options', () => {
    it('retries after the first retry interval and succeeds on the third attempt', async () => {
      await rt.start('retrying', 'retry-ok', { key: 'retry-ok', failTimes: 2 });
      assert.equal(rt.state().calls['retry-ok'], 1);
      await rt.runtime.advance(999);
      assert.equal(rt.state().calls['retry-ok'], 1, 'no retry before the interval');
      await rt.runtime.advance(1);
      assert.equal(rt.state().calls['retry-ok'], 2);
      await rt.runtime.advance(1000);
      const done = await rt.status('retry-ok');
      assert.equal(done.runtimeStatus, 'Completed');
      assert.deepEqual(done.output, { ok: true, attempts: 3 });
    });

    it('gives up after maxNumberOfAttempts and the orchestrator sees the failure', async () => {
      await rt.start('retrying', 'retry-exhausted', { key: 'retry-exhausted', failTimes: 10 });
      await rt.runtime.advance(1000);
      await rt.runtime.advance(1000);
      await rt.runtime.advance(1000);
      const done = await rt.status('retry-exhausted');
      assert.equal(rt.state().calls['retry-exhausted'], 3);
      assert.equal(done.runtimeStatus, 'Completed');
      assert.match((done.output as { error: string }).error, /flaky failure 3/);
    });

    it('an unhandled activity failure fails the orchestration with the reason', async () => {
      await rt.start('failing', 'failing-1');
      const done = await rt.status('failing-1');
      assert.equal(done.runtimeStatus, 'Failed');
      assert.match(String(done.output), /^Error: flaky failure 1$/);
    });
  });

  it('reports a non-deterministic orchestrator as a clear failure', async () => {
    await rt.start('nondeterministic', 'nondet-1');
    const done = await rt.status('nondet-1');
    assert.equal(done.runtimeStatus, 'Failed');
    assert.match(
      String(done.output),
      /Non-deterministic workflow detected: action #0 was CallActivity\("echo"\) in history, and is now CallActivity\("echo2"\)/,
    );
  });

  it('runs a 10-day timer as the extension hops it: 3-day hops, then what remains (durable-js issue 374)', async () => {
    const started = rt.clock.now();
    await rt.start('longWait', 'long-1');
    const hops = async () =>
      ((await rt.runtime.engine.status('long-1'))?.history ?? [])
        .filter((e) => e.EventType === 10) // TimerCreated
        .map((e) => (Date.parse(String(e.FireAt)) - started) / DAY);
    await rt.runtime.advance(9 * DAY);
    assert.equal((await rt.status('long-1')).runtimeStatus, 'Running');
    // The extension's loop: a hop of the interval while more than the interval remains.
    assert.deepEqual(await hops(), [3, 6, 9, 10]);
    await rt.runtime.advance(DAY);
    const done = await rt.status('long-1');
    assert.equal(done.runtimeStatus, 'Completed');
    assert.ok((done.output as { waitedMs: number }).waitedMs >= 10 * DAY);
  });

  it('supports continue-as-new with custom status', async () => {
    await rt.start('counter', 'counter-1', 0);
    for (let i = 0; i < 3; i++) await rt.runtime.advance(1000);
    const done = await rt.status('counter-1');
    assert.equal(done.runtimeStatus, 'Completed');
    assert.equal(done.output, 3);
    assert.deepEqual(done.customStatus, { n: 3 });
  });

  it('fans out with Task.all and keeps result order', async () => {
    await rt.start('fanOut', 'fan-1');
    assert.deepEqual((await rt.status('fan-1')).output, [1, 2, 3]);
  });

  it('serves terminate, query and purge to the durable client', async () => {
    await rt.start('race', 'to-terminate');
    assert.equal((await rt.post('/api/client/terminate/to-terminate/no%20longer%20needed', '')).status, 202);
    await rt.runtime.drain();
    const s = await rt.status('to-terminate');
    assert.equal(s.runtimeStatus, 'Terminated');
    assert.equal(s.output, 'no longer needed');
    const terminated = (await (await rt.get('/api/client/query/x/Terminated')).json()) as {
      instanceId: string;
    }[];
    assert.ok(terminated.some((i) => i.instanceId === 'to-terminate'));
    const purge = (await (await rt.post('/api/client/purge/to-terminate', '')).json()) as {
      instancesDeleted: number;
    };
    assert.equal(purge.instancesDeleted, 1);
    assert.equal(
      (await rt.get('/api/client/status/to-terminate')).status,
      500,
      'the client reports 404 as an error',
    );
  });

  it('refuses to start a second instance with a running id', async () => {
    await rt.start('race', 'dupe-1');
    const again = await rt.post('/api/client/start/dupe-1/race', '');
    assert.equal(again.status, 500);
    assert.equal((await rt.status('dupe-1')).runtimeStatus, 'Running');
  });
});
