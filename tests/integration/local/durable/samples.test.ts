/**
 * Other people's Durable apps run as on Azure: the samples' patterns, started through the HTTP
 * starter and watched through the status URL createCheckStatusResponse hands out, with the
 * documented outputs and the documented status API.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { APP_ROOT, startTestRuntime, type TestRuntime } from '../../../support/runtime';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

interface Status {
  runtimeStatus: string;
  output: unknown;
  input: unknown;
  createdTime: string;
  historyEvents?: { EventType: string; FunctionName?: string; Result?: unknown }[];
}

describe('durable-functions samples on the local runtime', () => {
  let rt: TestRuntime;
  before(async () => {
    rt = await startTestRuntime(path.join(APP_ROOT, 'tests', 'fixtures', 'samples-app'));
  });
  after(async () => rt.runtime.stop());

  /** Starts through the sample's HTTP starter; returns the status URL it advertises. */
  const start = async (name: string, input?: unknown) => {
    const res = await rt.post(`/api/orchestrators/${name}`, input === undefined ? '' : JSON.stringify(input));
    assert.equal(res.status, 202);
    const body = (await res.json()) as { id: string; statusQueryGetUri: string; rewindPostUri?: string };
    assert.equal(res.headers.get('location'), body.statusQueryGetUri);
    assert.equal(body.rewindPostUri, undefined, 'rewind is not advertised: the local runtime has none');
    await rt.runtime.drain();
    return body;
  };
  const status = async (url: string) => {
    const res = await fetch(url);
    return { res, body: (await res.json()) as Status };
  };
  const finish = async (url: string, stepMs = MINUTE, maxSteps = 40) => {
    for (let i = 0; i < maxSteps; i++) {
      const { res, body } = await status(url);
      if (res.status !== 202) return { res, body };
      assert.ok(res.headers.get('location'), 'a running instance answers 202 with Location');
      assert.equal(res.headers.get('retry-after'), '5');
      await rt.runtime.advance(stepMs);
    }
    throw new Error('did not finish');
  };

  it('chaining returns the documented greetings (string inputs reach activities once encoded)', async () => {
    const { statusQueryGetUri } = await start('helloSequence');
    const { res, body } = await finish(statusQueryGetUri);
    assert.equal(res.status, 200);
    assert.deepEqual(body.output, ['Hello Tokyo', 'Hello Seattle', 'Hello Cairo']);
  });

  it('fan-out/fan-in over string inputs sums every result', async () => {
    const { statusQueryGetUri } = await start('backupSiteContent', 'site');
    const { body } = await finish(statusQueryGetUri);
    assert.equal(body.runtimeStatus, 'Completed');
    assert.equal(body.output, 'site/a.txt'.length + 'site/bb.txt'.length + 'site/ccc.txt'.length);
  });

  it('human interaction: a wrong code, then the right one within 90 seconds', async () => {
    const { id, statusQueryGetUri, sendEventPostUri } = (await start(
      'smsPhoneVerification',
      '+15550104321',
    )) as {
      id: string;
      statusQueryGetUri: string;
      sendEventPostUri?: string;
    };
    assert.ok(id);
    const send = (code: number) =>
      fetch(String(sendEventPostUri).replace('{eventName}', 'SmsChallengeResponse'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(code),
      });
    assert.equal((await send(1111)).status, 202);
    await rt.runtime.drain();
    assert.equal((await status(statusQueryGetUri)).res.status, 202);
    assert.equal((await send(4321)).status, 202);
    await rt.runtime.drain();
    assert.equal((await status(statusQueryGetUri)).body.output, true);
  });

  it('human interaction: no answer in 90 seconds is a refusal', async () => {
    const { statusQueryGetUri } = await start('smsPhoneVerification', '+15550109999');
    await rt.runtime.advance(91 * SECOND);
    assert.equal((await status(statusQueryGetUri)).body.output, false);
  });

  it('monitor: checks every 30 minutes until clear', async () => {
    const { statusQueryGetUri } = await start('weatherMonitor', 'Redmond');
    const { body } = await finish(statusQueryGetUri, 30 * MINUTE);
    assert.equal(body.output, 'clear in Redmond');
  });

  it('eternal: counts to 10 through continue-as-new, Running throughout, with a string input', async () => {
    const { statusQueryGetUri } = await start('continueAsNewCounter', '0');
    const first = (await status(statusQueryGetUri)).body.createdTime;
    for (let i = 0; i < 4; i++) await rt.runtime.advance(30 * SECOND);
    const midway = await status(statusQueryGetUri);
    assert.equal(midway.body.runtimeStatus, 'Running', 'never Pending between generations');
    assert.equal(midway.body.input, '4');
    assert.notEqual(midway.body.createdTime, first, 'each generation has its own createdTime');
    const { body } = await finish(statusQueryGetUri, 30 * SECOND);
    assert.equal(body.output, 10);
  });

  it('retry: an activity that always fails is retried, then caught by the orchestrator', async () => {
    const { statusQueryGetUri } = await start('callActivityWithRetry');
    const { body } = await finish(`${statusQueryGetUri}&showHistory=true&showHistoryOutput=true`, SECOND);
    assert.equal(body.output, 'caught');
    const events = body.historyEvents ?? [];
    assert.deepEqual(
      events.map((e) => e.EventType),
      [
        'ExecutionStarted',
        'TaskFailed',
        'TimerCreated',
        'TimerFired',
        'TaskFailed',
        'TimerCreated',
        'TimerFired',
        'ExecutionCompleted',
      ],
    );
    assert.equal(events[1]?.FunctionName, 'flakyFunction', 'the scheduled task is folded into its outcome');
    assert.equal(events.at(-1)?.Result, 'caught');
  });

  it('a failed instance answers 500 only when asked with returnInternalServerErrorOnFailure', async () => {
    const { statusQueryGetUri } = await start('smsPhoneVerification');
    await rt.runtime.drain();
    const plain = await status(statusQueryGetUri);
    assert.equal(plain.body.runtimeStatus, 'Failed');
    assert.equal(plain.res.status, 200);
    assert.equal((await fetch(`${statusQueryGetUri}&returnInternalServerErrorOnFailure=true`)).status, 500);
    assert.equal((await status(`${statusQueryGetUri}&showInput=false`)).body.input, null);
  });

  it('suspend holds an instance and its timers; resume lets it go on; restart runs it again', async () => {
    const started = (await start('weatherMonitor', 'Oslo')) as Record<string, string>;
    const suspend = String(started.suspendPostUri).replace('{text}', 'maintenance');
    assert.equal((await fetch(suspend, { method: 'POST' })).status, 202);
    await rt.runtime.drain();
    assert.equal((await status(String(started.statusQueryGetUri))).body.runtimeStatus, 'Suspended');
    await rt.runtime.advance(2 * 60 * MINUTE);
    assert.equal((await status(String(started.statusQueryGetUri))).body.runtimeStatus, 'Suspended');
    const resume = String(started.resumePostUri).replace('{text}', 'done');
    assert.equal((await fetch(resume, { method: 'POST' })).status, 202);
    const { body } = await finish(String(started.statusQueryGetUri), 30 * MINUTE);
    assert.equal(body.output, 'clear in Oslo');

    const restart = String(started.statusQueryGetUri).replace(/(\/instances\/[^/?]+)/, '$1/restart');
    const again = await fetch(restart, { method: 'POST' });
    assert.equal(again.status, 202);
    const next = (await again.json()) as { id: string };
    assert.notEqual(next.id, started.id);
  });

  it('lists instances by prefix, a page at a time; entities and rewind answer 501 with a reason', async () => {
    const base = `${rt.runtime.url}/runtime/webhooks/durabletask/instances`;
    const all = (await (await fetch(`${base}?top=1000`)).json()) as { instanceId: string }[];
    assert.ok(all.length >= 8);
    const page = await fetch(`${base}?top=3`);
    assert.equal(((await page.json()) as unknown[]).length, 3);
    const token = page.headers.get('x-ms-continuation-token');
    assert.ok(token);
    const rest = await fetch(`${base}?top=3&continuationToken=${token}`);
    assert.equal(((await rest.json()) as unknown[]).length, 3);
    const prefix = all[0]?.instanceId.slice(0, 6) ?? '';
    const byPrefix = (await (await fetch(`${base}?instanceIdPrefix=${prefix}`)).json()) as {
      instanceId: string;
    }[];
    assert.ok(byPrefix.every((s) => s.instanceId.startsWith(prefix)));
    const entity = await fetch(`${rt.runtime.url}/runtime/webhooks/durabletask/entities/counter/one`);
    assert.equal(entity.status, 501);
    assert.match(((await entity.json()) as { error: string }).error, /entities .* are not supported/);
    const rewind = await fetch(`${base}/${all[0]?.instanceId ?? ''}/rewind?reason=x`, { method: 'POST' });
    assert.equal(rewind.status, 501);
  });
});
