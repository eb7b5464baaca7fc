import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AcsRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/**
 * A local server speaking the ACS Email REST API the SDK uses: POST /emails:send answers 202 with
 * an Operation-Location; GET /emails/operations/{id} reports the status.
 */
export async function startFakeAcs(
  options: {
    finalStatus?: 'Succeeded' | 'Failed';
    throttleFirst?: number;
    rejectSend?: boolean;
    /** Status reads that still answer Running (a real send takes seconds). */
    runningReads?: number;
  } = {},
) {
  const requests: AcsRequest[] = [];
  let throttles = options.throttleFirst ?? 0;
  let runningReads = options.runningReads ?? 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push({
        method: req.method ?? '',
        path: url.pathname + url.search,
        headers: req.headers,
        body: raw ? (JSON.parse(raw) as unknown) : undefined,
      });
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      if (req.method === 'POST' && url.pathname === '/emails:send') {
        if (throttles-- > 0) {
          res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' });
          return res.end(JSON.stringify({ error: { code: 'TooManyRequests', message: 'slow down' } }));
        }
        if (options.rejectSend) {
          res.writeHead(400, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ error: { code: 'BadRequest', message: 'recipient rejected' } }));
        }
        const id = String(req.headers['operation-id'] ?? 'generated-id');
        res.writeHead(202, {
          'operation-location': `${base}/emails/operations/${id}?api-version=${url.searchParams.get('api-version') ?? ''}`,
          'retry-after': '0',
          'content-type': 'application/json',
        });
        return res.end(JSON.stringify({ id, status: 'Running' }));
      }
      const op = /^\/emails\/operations\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && op) {
        const failed = options.finalStatus === 'Failed';
        res.writeHead(200, { 'content-type': 'application/json' });
        if (runningReads-- > 0) return res.end(JSON.stringify({ id: op[1], status: 'Running' }));
        return res.end(
          JSON.stringify({
            id: op[1],
            status: options.finalStatus ?? 'Succeeded',
            ...(failed ? { error: { code: 'Rejected', message: 'recipient rejected' } } : {}),
          }),
        );
      }
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    requests,
    connectionString: `endpoint=http://127.0.0.1:${port}/;accesskey=${Buffer.from('local-test-key').toString('base64')}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
