import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  path: string;
  apiVersion: string | null;
  apiKey: string | undefined;
  authorization: string | undefined;
  body: {
    model?: string;
    messages: { role: string; content: string }[];
    response_format?: { type: string };
    max_tokens?: number;
  };
  /** The raw request body: what left the app, to search for anything that must not have. */
  raw: string;
  /** Which use the system prompt is for: triage, briefing, reply or kb_draft. */
  use: string;
}

/** One answer: a completion whose message content is `content`, an HTTP error, or no answer at all. */
export type Scripted =
  | { content: string; tokens?: number }
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | 'hang';

const useOf = (system: string): string =>
  /triage/i.test(system)
    ? 'triage'
    : /brief/i.test(system)
      ? 'briefing'
      : /knowledge-base/i.test(system)
        ? 'kb_draft'
        : /reply/i.test(system)
          ? 'reply'
          : 'unknown';

/**
 * A local server that speaks the Azure OpenAI chat-completions API
 * (`POST /openai/deployments/{deployment}/chat/completions?api-version=...`, `api-key` or a bearer
 * token), so the real `openai` client runs against it. It records every request and answers from
 * a script (`next`, one per request), else from `answer` (per use), else a 500.
 */
export async function startFakeAzureOpenAi(deployment = 'autotier-chat') {
  const requests: ChatRequest[] = [];
  const script: Scripted[] = [];
  let answer: (req: ChatRequest) => Scripted = () => ({
    status: 500,
    body: { error: { message: 'no answer' } },
  });
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method !== 'POST' || url.pathname !== `/openai/deployments/${deployment}/chat/completions`) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'DeploymentNotFound', message: 'no such deployment' } }));
        return;
      }
      const body = JSON.parse(raw) as ChatRequest['body'];
      const recorded: ChatRequest = {
        path: url.pathname,
        apiVersion: url.searchParams.get('api-version'),
        apiKey: req.headers['api-key'] as string | undefined,
        authorization: req.headers.authorization,
        body,
        raw,
        use: useOf(body.messages.find((m) => m.role === 'system')?.content ?? ''),
      };
      requests.push(recorded);
      const reply = script.shift() ?? answer(recorded);
      if (reply === 'hang') return;
      if ('content' in reply) {
        const tokens = reply.tokens ?? 100;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: `chatcmpl-${requests.length}`,
            object: 'chat.completion',
            created: 1772445600,
            model: 'gpt-4o-mini',
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: reply.content },
                finish_reason: 'stop',
              },
            ],
            usage: { prompt_tokens: tokens - 10, completion_tokens: 10, total_tokens: tokens },
          }),
        );
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body ?? { error: { code: String(reply.status), message: 'scripted' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    deployment,
    requests,
    /** Answers for the next requests, in order. */
    next: (...replies: Scripted[]) => script.push(...replies),
    /** The answer when nothing is scripted. */
    answerWith: (fn: (req: ChatRequest) => Scripted) => (answer = fn),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeAzureOpenAi = Awaited<ReturnType<typeof startFakeAzureOpenAi>>;

/** A completion whose message is `value` as JSON, costing `tokens`. */
export const json = (value: unknown, tokens?: number): { content: string; tokens?: number } => ({
  content: JSON.stringify(value),
  ...(tokens !== undefined ? { tokens } : {}),
});
