import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { json, type Scripted, startFakeAzureOpenAi } from '../support/fakeAzureOpenAi';
import { appUnderTest } from '../support/ticketApi';

const SETTINGS = [
  'AUTOTIER_OPENAI_ENDPOINT',
  'AUTOTIER_OPENAI_DEPLOYMENT',
  'AUTOTIER_OPENAI_API_KEY',
  'AUTOTIER_OPENAI_TIMEOUT_MS',
] as const;

/**
 * The app with the assistant configured, against a local server that speaks the Azure OpenAI
 * chat-completions API (the real `openai` client runs). Every answer is written by hand.
 */
describe('the assistant in the app (local Azure OpenAI server)', () => {
  let server: Awaited<ReturnType<typeof startFakeAzureOpenAi>>;
  let mode: 'answer' | 'fail' | 'hang' = 'answer';
  before(async () => {
    server = await startFakeAzureOpenAi();
    server.answerWith((req): Scripted => {
      if (mode === 'fail') return { status: 500 };
      if (mode === 'hang') return 'hang';
      if (req.use === 'triage')
        return json({ category: 'printer_peripheral', confidence: 0.9, reason: 'a device' });
      if (req.use === 'briefing')
        return json({ summary: 'A briefing for the engineer.', steps: ['Look at it'] });
      return json({ answer: 'unclear' });
    });
    process.env.AUTOTIER_OPENAI_ENDPOINT = server.endpoint;
    process.env.AUTOTIER_OPENAI_DEPLOYMENT = server.deployment;
    process.env.AUTOTIER_OPENAI_API_KEY = 'local-test-key';
    process.env.AUTOTIER_OPENAI_TIMEOUT_MS = '300';
  });
  const app = appUnderTest();
  after(async () => {
    for (const name of SETTINGS) delete process.env[name];
    await server.close();
  });

  it('an unsure ticket is decided by the second opinion and the metrics count the call', async () => {
    const id = await app.api.file('sam@demo.example', 'The thing on my desk', 'It makes a grinding noise.');
    const view = (await app.api.view(id)) as unknown as {
      classification?: { decidedBy: string };
      category: string;
    };
    assert.equal(view.classification?.decidedBy, 'llm');
    assert.equal(view.category, 'printer_peripheral');
    const metrics = (await (await app.rt.get('/api/metrics?clientId=demo')).json()) as {
      llm?: { calls: number; tokens: number; fallbacks: number };
    };
    assert.ok((metrics.llm?.calls ?? 0) >= 1);
    assert.ok((metrics.llm?.tokens ?? 0) >= 100);
  });

  it('a flagged ticket is escalated as the screen says, with a machine-written briefing and no password sent', async () => {
    const before = server.requests.length;
    const id = await app.api.file(
      'kim@demo.example',
      'Reset my password',
      'I clicked a link in a dodgy email and typed my password: "Summer2026!" Please reset it.',
      'Kim Park',
    );
    const view = (await app.api.view(id)) as unknown as {
      stage: string;
      route: string;
      escalation?: { briefing?: { machineWritten: boolean; summary: string } };
    };
    assert.deepEqual([view.stage, view.route], ['escalated', 'escalate']);
    assert.equal(view.escalation?.briefing?.machineWritten, true);
    const sent = server.requests.slice(before);
    assert.deepEqual(
      sent.map((r) => r.use),
      ['briefing'],
      'the screened ticket got no second opinion',
    );
    for (const leak of ['Summer2026', 'kim@demo.example', 'Kim Park'])
      assert.ok(!sent[0]?.raw.includes(leak), `${leak} was sent`);
  });

  it('with the server failing or hanging, every ticket still flows on autotier’s own rules', async () => {
    for (const m of ['fail', 'hang'] as const) {
      mode = m;
      const id = await app.api.file(
        `${m}@demo.example`,
        'The thing on my desk',
        'It makes a grinding noise.',
      );
      const view = (await app.api.view(id)) as unknown as {
        stage: string;
        classification?: { decidedBy: string };
      };
      assert.equal(view.stage, 'escalated', m);
      assert.notEqual(view.classification?.decidedBy, 'llm', m);
      assert.ok((await app.api.mails(`${m}@demo.example`)).length >= 2, `${m}: acknowledged and told`);
    }
    mode = 'answer';
    const metrics = (await (await app.rt.get('/api/metrics?clientId=demo')).json()) as {
      llm?: { fallbacks: number };
    };
    assert.ok((metrics.llm?.fallbacks ?? 0) >= 2);
  });
});
