import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WorkflowsPost {
  path: string;
  contentType: string;
  body: unknown;
}

/**
 * A local stand-in for a Teams Workflows "When a Teams webhook request is received" trigger: it
 * keeps every POST and answers 202, as Workflows does, unless told to answer something else
 * (`answers`, taken one per request) or to never answer (`hang`).
 */
export async function startFakeWorkflows() {
  const posts: WorkflowsPost[] = [];
  const answers: number[] = [];
  let hang = false;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      if (hang) return;
      const status = answers.shift() ?? 202;
      if (status >= 200 && status < 300)
        posts.push({
          path: req.url ?? '/',
          contentType: String(req.headers['content-type'] ?? ''),
          body: JSON.parse(raw) as unknown,
        });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 202 ? '' : JSON.stringify({ error: { code: 'Failed', message: 'flow failed' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    posts,
    /** A webhook URL of this server, signed as Workflows signs them. */
    url: (path = '/workflows/tier1') =>
      `${base}${path}/triggers/manual/paths/invoke?api-version=2016-06-01&sv=1.0&sig=SECRET-SIGNATURE`,
    answerNext: (...statuses: number[]) => answers.push(...statuses),
    hang: (on = true) => (hang = on),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
