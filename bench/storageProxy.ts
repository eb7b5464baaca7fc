/**
 * Counts every storage request the app makes: three small HTTP proxies in front of Azurite's blob,
 * queue and table endpoints. Counting on the wire (rather than inside one SDK) sees every client
 * the app, the CLI and the local Durable engine build, and counts exactly what Azure bills: one
 * transaction per REST call. Empty queue polls are told apart from reads that returned messages.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { devConnectionString } from '../src/local/azurite';

/** Azurite's ports: the default ones, or AUTOTIER_AZURITE_PORT_BASE and the next two (as with-azurite puts it there). */
const base = Number(process.env.AUTOTIER_AZURITE_PORT_BASE || 0);
const UPSTREAM = base
  ? { blob: base, queue: base + 1, table: base + 2 }
  : ({ blob: 10000, queue: 10001, table: 10002 } as const);
type Service = keyof typeof UPSTREAM;

export type Counts = Record<string, number>;

export interface StorageProxy {
  connectionString: string;
  snapshot(): Counts;
  close(): Promise<void>;
}

export async function startStorageProxy(): Promise<StorageProxy> {
  const counts: Counts = {};
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const servers: http.Server[] = [];
  const ports: Partial<Record<Service, number>> = {};
  for (const service of Object.keys(UPSTREAM) as Service[]) {
    const server = http.createServer((req, res) => {
      // A table batch names its table only in its body: keep the body to count it by table.
      const batchBody: Buffer[] = [];
      if (service === 'table' && /\/\$batch(\?|$)/.test(req.url ?? ''))
        req.on('data', (c: Buffer) => batchBody.push(c));
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: UPSTREAM[service],
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          const polled =
            service === 'queue' && req.method === 'GET' && /\/messages(\?|$)/.test(req.url ?? '');
          if (!polled) {
            const batchOf = batchBody.length ? batchTable(Buffer.concat(batchBody).toString('latin1')) : '';
            count(
              counts,
              batchOf ? `table ${batchOf} batch` : kindOf(service, req.method ?? 'GET', req.url ?? '/'),
            );
            up.pipe(res);
            return;
          }
          const chunks: Buffer[] = [];
          up.on('data', (c: Buffer) => chunks.push(c));
          up.on('end', () => {
            const body = Buffer.concat(chunks);
            const empty = !body.includes('<QueueMessage>');
            count(counts, `${kindOf(service, 'GET', req.url ?? '/')}${empty ? ' (empty poll)' : ''}`);
            res.end(body);
          });
        },
      );
      upstream.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ports[service] = (server.address() as AddressInfo).port;
    servers.push(server);
  }
  return {
    connectionString: devConnectionString({
      blob: ports.blob ?? 0,
      queue: ports.queue ?? 0,
      table: ports.table ?? 0,
    }),
    snapshot: () => ({ ...counts }),
    close: async () => {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      agent.destroy();
    },
  };
}

function count(counts: Counts, kind: string): void {
  counts[kind] = (counts[kind] ?? 0) + 1;
}

/**
 * `table Tickets write`, `table Tickets query`, `queue <hub>-control read`... The resource is the table, queue or blob
 * container; the verb is read (GET/HEAD) or write (anything else). Names keep their prefix so the
 * bench can tell the Durable engine's own storage from the app's.
 */
export function kindOf(service: Service, method: string, url: string): string {
  const pathname = url.split('?')[0] ?? '/';
  const parts = pathname.split('/').filter(Boolean);
  const first = parts[1] ?? '';
  // Tables: /devstoreaccount1/Tickets(PartitionKey='a',RowKey='b') or /devstoreaccount1/Tables
  const resource = service === 'table' ? (first.split('(')[0] ?? first) : first || '(account)';
  const verb = method === 'GET' || method === 'HEAD' ? 'read' : 'write';
  // A table read that names no row (`Tickets()` with a $filter) is a query: Azure serves a
  // partition range from its index, Azurite scans the whole table for it.
  const query = service === 'table' && verb === 'read' && !/RowKey=/.test(decodeURIComponent(first));
  return `${service} ${resource} ${query ? 'query' : verb}`;
}

/** The table a `$batch` request's changes go to (a batch holds one table's rows, one partition). */
export function batchTable(body: string): string {
  return (
    /^(?:POST|PUT|PATCH|MERGE|DELETE|GET) \S*?\/([A-Za-z][A-Za-z0-9]*)(?:\(|\?| )/m.exec(body)?.[1] ?? ''
  );
}

/** Subtracts one snapshot from a later one. */
export function diff(after: Counts, before: Counts): Counts {
  const out: Counts = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}
