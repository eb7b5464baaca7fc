import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { AzureOpenAiChat } from '../../../../src/adapters/llm/azureOpenAiChat';
import { GuardedAssistant } from '../../../../src/adapters/llm/guardedAssistant';
import type { AssistantRequest } from '../../../../src/domain/assistant';
import { json, startFakeAzureOpenAi } from '../../../support/fakeAzureOpenAi';
import { MemoryAssistantUsage } from '../../../support/memoryAssistantUsage';

const triage = (key = 'T-1001.classify'): AssistantRequest<'triage'> => ({
  use: 'triage',
  clientId: 'demo',
  key,
  input: {
    subject: 'Cannot get into the shared drive',
    body: 'Hi, this is Sam Lee (sam.lee@demo.example). My password is "Tr0ub4dor&3" and the code was 482913. Please help.',
  },
  people: { addresses: ['sam.lee@demo.example'], names: ['Sam Lee'] },
});

describe('the assistant on Azure OpenAI (the real openai client against a local chat-completions server)', () => {
  let server: Awaited<ReturnType<typeof startFakeAzureOpenAi>>;
  let usage: MemoryAssistantUsage;
  let waits: number[];
  let clock: number;
  const assistant = (
    overrides: { dailyTokens?: number; timeoutMs?: number; tokenProvider?: () => Promise<string> } = {},
  ) =>
    new GuardedAssistant({
      chat: new AzureOpenAiChat({
        endpoint: server.endpoint,
        deployment: server.deployment,
        apiVersion: '2024-10-21',
        ...(overrides.tokenProvider
          ? { tokenProvider: overrides.tokenProvider }
          : { apiKey: 'local-test-key' }),
        timeoutMs: overrides.timeoutMs ?? 2_000,
        sleep: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
      }),
      usage,
      dailyTokens: overrides.dailyTokens ?? 100_000,
      breaker: { failures: 3, openMs: 60_000 },
      now: () => new Date(clock),
      warn: () => {},
    });

  before(async () => {
    server = await startFakeAzureOpenAi();
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    server.answerWith(() => ({ status: 500 }));
    usage = new MemoryAssistantUsage();
    waits = [];
    clock = Date.parse('2026-03-02T10:00:00Z');
  });

  it('asks the deployment for a JSON object and returns the validated answer, with its tokens recorded', async () => {
    server.next(json({ category: 'software_access', confidence: 0.82, reason: 'shared drive access' }, 321));
    const answer = await assistant().ask(triage());
    assert.deepEqual(answer, {
      category: 'software_access',
      confidence: 0.82,
      reason: 'shared drive access',
    });
    const [req] = server.requests;
    assert.equal(req?.apiVersion, '2024-10-21');
    assert.equal(req?.apiKey, 'local-test-key');
    assert.deepEqual(req?.body.response_format, { type: 'json_object' });
    assert.deepEqual(await usage.totals('demo', new Date(clock), new Date(clock + 1)), {
      calls: 1,
      tokens: 321,
      fallbacks: 0,
    });
  });

  it('signs in with a bearer token when there is no key (the managed identity in Azure)', async () => {
    server.next(json({ category: 'software_access', confidence: 0.8, reason: 'r' }));
    await assistant({ tokenProvider: () => Promise.resolve('entra-token') }).ask(triage());
    assert.equal(server.requests[0]?.authorization, 'Bearer entra-token');
    assert.equal(server.requests[0]?.apiKey, undefined);
  });

  it('sends no typed password, code, address or name: placeholders stand in for them', async () => {
    server.next(json({ category: 'software_access', confidence: 0.8, reason: 'r' }));
    await assistant().ask(triage());
    const raw = server.requests[0]?.raw ?? '';
    for (const leak of ['Tr0ub4dor', '482913', 'sam.lee@demo.example', 'Sam Lee', 'Sam'])
      assert.ok(!raw.includes(leak), `${leak} left the app`);
    assert.match(raw, /\[password removed\]/);
    assert.match(raw, /<requester>/);
  });

  it('takes an answer that is not a JSON object of the right shape as no answer', async () => {
    server.next(
      { content: 'Sure! It is software_access.' },
      json({ category: 'coffee_machine', confidence: 0.9, reason: 'r' }),
      json({ category: 'software_access', confidence: 7, reason: 'r' }),
    );
    const a = assistant();
    assert.equal(await a.ask(triage('k1')), undefined);
    assert.equal(await a.ask(triage('k2')), undefined);
    assert.equal(await a.ask(triage('k3')), undefined);
    assert.deepEqual(usage.reasons, ['invalid', 'invalid', 'invalid']);
  });

  it('falls back on a server error and when the server never answers (timeout)', async () => {
    server.next({ status: 500 }, 'hang');
    const a = assistant({ timeoutMs: 300 });
    assert.equal(await a.ask(triage('k1')), undefined);
    assert.equal(await a.ask(triage('k2')), undefined);
    assert.deepEqual(usage.reasons, ['http 500', 'timeout']);
    assert.equal((await usage.totals('demo', new Date(clock), new Date(clock + 1))).fallbacks, 2);
  });

  it('retries a 429 after the Retry-After it names, and gives up at once when that is too long', async () => {
    server.next(
      { status: 429, headers: { 'retry-after': '2' } },
      json({ category: 'software_access', confidence: 0.8, reason: 'r' }),
    );
    const a = assistant();
    assert.equal((await a.ask(triage('k1')))?.category, 'software_access');
    assert.deepEqual(waits, [2000]);
    assert.equal(server.requests.length, 2);

    server.next({ status: 429, headers: { 'retry-after': '120' } });
    assert.equal(await a.ask(triage('k2')), undefined);
    assert.equal(server.requests.length, 3, 'no retry after a two-minute Retry-After');
    assert.deepEqual(waits, [2000]);
    assert.deepEqual(usage.reasons, ['answered', 'http 429']);
  });

  it("stops asking when the client's daily budget is spent, and starts again the next day", async () => {
    server.answerWith(() => json({ category: 'software_access', confidence: 0.8, reason: 'r' }, 900));
    const a = assistant({ dailyTokens: 1200 });
    assert.ok(await a.ask(triage('k1')));
    assert.equal(await a.ask(triage('k2')), undefined, 'over budget');
    assert.equal(server.requests.length, 1, 'nothing is sent over budget');
    // Another client's budget is its own.
    assert.ok(await a.ask({ ...triage('k3'), clientId: 'other' }));
    clock += 24 * 60 * 60 * 1000;
    assert.ok(await a.ask(triage('k4')));
    assert.deepEqual(usage.reasons, ['answered', 'budget', 'answered', 'answered']);
  });

  it('counts a retried use once: the same key overwrites its own usage', async () => {
    server.answerWith(() => json({ category: 'software_access', confidence: 0.8, reason: 'r' }, 400));
    const a = assistant();
    await a.ask(triage('same'));
    await a.ask(triage('same'));
    assert.equal(await usage.tokensOn('demo', '2026-03-02'), 400);
  });

  it('opens the breaker after three failures, then lets one trial through once it has been open long enough', async () => {
    const a = assistant();
    for (const k of ['k1', 'k2', 'k3']) assert.equal(await a.ask(triage(k)), undefined);
    assert.equal(a.breakerState, 'open');
    assert.equal(await a.ask(triage('k4')), undefined);
    assert.equal(server.requests.length, 3, 'nothing is sent while the breaker is open');

    clock += 60_000;
    assert.equal(a.breakerState, 'half_open');
    server.next(json({ category: 'vpn_remote_access', confidence: 0.9, reason: 'r' }));
    assert.equal((await a.ask(triage('k5')))?.category, 'vpn_remote_access');
    assert.equal(a.breakerState, 'closed');
    assert.deepEqual(usage.reasons, ['http 500', 'http 500', 'http 500', 'breaker', 'answered']);
  });

  it('opens again when the half-open trial fails', async () => {
    const a = assistant();
    for (const k of ['k1', 'k2', 'k3']) await a.ask(triage(k));
    clock += 60_000;
    assert.equal(await a.ask(triage('k4')), undefined);
    assert.equal(server.requests.length, 4, 'the trial was sent');
    assert.equal(a.breakerState, 'open');
    assert.equal(await a.ask(triage('k5')), undefined);
    assert.equal(server.requests.length, 4);
  });
});
