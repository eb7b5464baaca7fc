import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PsaRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

type Json = Record<string, unknown>;

export const FAKE_PSA_CREDENTIALS = {
  connectwise: {
    companyId: 'examplemsp',
    publicKey: 'pub-key',
    privateKey: 'priv-key',
    clientId: 'cw-client-id',
  },
  autotask: { integrationCode: 'AT-INTEGRATION', userName: 'autotier@example.msp', secret: 'at-secret' },
  halopsa: { clientId: 'halo-client', clientSecret: 'halo-secret' },
  connectWiseSigningKey: 'cw-signing-key-from-key-url',
};

/**
 * A local server speaking the parts of the ConnectWise PSA (REST 3.0), Autotask (REST v1.0) and
 * HaloPSA APIs that autotier calls, with each vendor's authentication checked: ConnectWise Basic
 * `company+public:private` plus `clientId`; Autotask `ApiIntegrationCode`/`UserName`/`Secret`
 * headers; Halo OAuth2 client credentials, then Bearer tokens. Tests load tickets into it, make it
 * throttle or fail, and read back the notes and updates the adapters wrote.
 */
export async function startFakePsa() {
  const c = FAKE_PSA_CREDENTIALS;
  const requests: PsaRequest[] = [];
  const tickets = new Map<string, Json>();
  const contacts = new Map<string, Json>();
  const notes = new Map<string, Json[]>();
  /** Time entries by `<vendor>:<ticket id>` (ConnectWise and Autotask). */
  const timeEntries = new Map<string, Json[]>();
  let nextId = 9000;
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  /** Autotask's query filters: `eq` and `contains` over an entity's fields, all of them (and). */
  const matches = (item: Json, filter: { op: string; field: string; value: unknown }[]) =>
    filter.every((f) => {
      const have = text(item[f.field]).toLowerCase();
      const want = String(f.value).toLowerCase();
      return f.op === 'eq' ? have === want : f.op === 'contains' ? have.includes(want) : false;
    });
  const ofVendor = (map: Map<string, Json>, vendor: string) =>
    [...map.entries()].filter(([k]) => k.startsWith(`${vendor}:`)).map(([, v]) => v);
  const failures: { status: number; retryAfter?: string; hang?: boolean }[] = [];
  let haloToken = 0;
  const haloTokens = new Set<string>();

  const cwAuth = `Basic ${Buffer.from(`${c.connectwise.companyId}+${c.connectwise.publicKey}:${c.connectwise.privateKey}`).toString('base64')}`;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (b: Buffer) => chunks.push(b));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown = rawBody;
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        /* form bodies stay text */
      }
      requests.push({
        method: req.method ?? '',
        path: url.pathname + url.search,
        headers: req.headers,
        body,
      });
      const send = (status: number, value?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(value === undefined ? '' : JSON.stringify(value));
      };
      const failure = url.pathname === '/auth/token' ? undefined : failures.shift();
      if (failure?.hang) return; // never answers: the client's timeout must fire
      if (failure)
        return send(
          failure.status,
          { message: 'injected' },
          failure.retryAfter ? { 'retry-after': failure.retryAfter } : {},
        );
      const p = url.pathname;
      const h = req.headers;
      let m: RegExpExecArray | null;

      // HaloPSA
      if (p === '/auth/token' && req.method === 'POST') {
        const form = new URLSearchParams(rawBody);
        if (
          form.get('grant_type') !== 'client_credentials' ||
          form.get('client_id') !== c.halopsa.clientId ||
          form.get('client_secret') !== c.halopsa.clientSecret
        )
          return send(401, { error: 'invalid_client' });
        const token = `halo-token-${++haloToken}`;
        haloTokens.add(token);
        return send(200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
      }
      if (p.startsWith('/api/')) {
        if (!haloTokens.has(String(h.authorization ?? '').replace(/^Bearer /, '')))
          return send(401, { message: 'unauthorized' });
        if ((m = /^\/api\/Tickets\/(\d+)$/.exec(p)) && req.method === 'GET') {
          const t = tickets.get(`halopsa:${m[1]}`);
          return t ? send(200, t) : send(404, { message: 'not found' });
        }
        if (p === '/api/Actions' && req.method === 'GET') {
          const list = notes.get(`halopsa:${url.searchParams.get('ticket_id')}`) ?? [];
          return send(200, { record_count: list.length, actions: list });
        }
        if (p === '/api/Actions' && req.method === 'POST') {
          for (const a of body as Json[]) {
            const key = `halopsa:${String(a.ticket_id)}`;
            // Halo numbers every action it records.
            notes.set(key, [...(notes.get(key) ?? []), { id: ++nextId, ...a }]);
            const t = tickets.get(key);
            if (t && a.new_status !== undefined) t.status_id = a.new_status;
          }
          return send(201, body);
        }
        if (p === '/api/Tickets' && req.method === 'GET') {
          const search = (url.searchParams.get('search') ?? '').toLowerCase();
          const client = url.searchParams.get('client_id');
          const found = ofVendor(tickets, 'halopsa').filter(
            (t) =>
              text(t.summary).toLowerCase().includes(search) && (!client || String(t.client_id) === client),
          );
          return send(200, { record_count: found.length, tickets: found });
        }
        if (p === '/api/Users' && req.method === 'GET') {
          const search = (url.searchParams.get('search') ?? '').toLowerCase();
          const client = url.searchParams.get('client_id');
          const users = ofVendor(contacts, 'halopsa').filter(
            (u) =>
              text(u.emailaddress).toLowerCase().includes(search) &&
              (!client || String(u.client_id) === client),
          );
          return send(200, { record_count: users.length, users });
        }
        if (p === '/api/Tickets' && req.method === 'POST') {
          let created: Json | undefined;
          for (const u of body as Json[]) {
            if (u.id === undefined) {
              // A new ticket: Halo answers it, with its id.
              created = { ...u, id: ++nextId, status_id: u.status_id ?? 1 };
              tickets.set(`halopsa:${String(created.id)}`, created);
              continue;
            }
            const t = tickets.get(`halopsa:${text(u.id)}`);
            if (!t) return send(400, { message: 'no such ticket' });
            Object.assign(t, u);
          }
          return send(201, created ?? body);
        }
        return send(404, { message: 'no route' });
      }

      // ConnectWise
      if (
        p.startsWith('/service/') ||
        p.startsWith('/system/') ||
        p.startsWith('/company/') ||
        p.startsWith('/time/')
      ) {
        if (h.authorization !== cwAuth || h.clientid !== c.connectwise.clientId)
          return send(401, { code: 'Unauthorized' });
        if ((m = /^\/system\/callbacks\/key\/([\w-]+)$/.exec(p)) && req.method === 'GET')
          return m[1] === 'k1'
            ? send(200, { signing_key: c.connectWiseSigningKey })
            : send(404, { code: 'NotFound', message: 'no such key' });
        if (p === '/service/tickets' && req.method === 'GET') {
          const conditions = url.searchParams.get('conditions') ?? '';
          const company = /company\/id=(\d+)/.exec(conditions)?.[1];
          const like = /summary like "%(.*)%"/.exec(conditions)?.[1];
          return send(
            200,
            ofVendor(tickets, 'connectwise').filter(
              (t) =>
                (!company || String((t.company as Json | undefined)?.id) === company) &&
                (like === undefined || text(t.summary).includes(like)),
            ),
          );
        }
        if (p === '/service/tickets' && req.method === 'POST') {
          const b = body as Json;
          if (!b.summary || !b.company)
            return send(400, { code: 'InvalidObject', message: 'summary and company' });
          const id = ++nextId;
          const t: Json = { status: { id: 1, name: 'New' }, closedFlag: false, ...b, id };
          tickets.set(`connectwise:${id}`, t);
          // ConnectWise keeps the initial description as the first discussion note (by the contact).
          if (b.initialDescription)
            notes.set(`connectwise:${id}`, [
              { id: 1, text: b.initialDescription, detailDescriptionFlag: true },
            ]);
          return send(201, t);
        }
        if (p === '/company/contacts' && req.method === 'GET') {
          const company = /company\/id=(\d+)/.exec(url.searchParams.get('conditions') ?? '')?.[1];
          const email = /communicationItems\/value="([^"]*)"/.exec(
            url.searchParams.get('childConditions') ?? '',
          )?.[1];
          return send(
            200,
            ofVendor(contacts, 'connectwise')
              .filter((c) => !company || String((c.company as Json | undefined)?.id) === company)
              .filter((c) =>
                ((c.communicationItems as Json[] | undefined) ?? []).some(
                  (i) =>
                    i.communicationType === 'Email' && String(i.value).toLowerCase() === email?.toLowerCase(),
                ),
              ),
          );
        }
        if (p === '/time/entries' && req.method === 'GET') {
          const ticket = /chargeToId=(\d+)/.exec(url.searchParams.get('conditions') ?? '')?.[1];
          return send(200, timeEntries.get(`connectwise:${ticket}`) ?? []);
        }
        if ((m = /^\/service\/tickets\/(\d+)$/.exec(p))) {
          const t = tickets.get(`connectwise:${m[1]}`);
          if (!t) return send(404, { code: 'NotFound' });
          if (req.method === 'GET') return send(200, t);
          if (req.method === 'PATCH') {
            for (const op of body as { op: string; path: string; value: unknown }[]) {
              if (op.op !== 'replace') return send(400, { code: 'InvalidObject' });
              t[op.path] = op.value;
            }
            return send(200, t);
          }
        }
        if ((m = /^\/service\/tickets\/(\d+)\/notes$/.exec(p))) {
          const key = `connectwise:${m[1]}`;
          if (!tickets.has(key)) return send(404, { code: 'NotFound' });
          if (req.method === 'GET') return send(200, notes.get(key) ?? []);
          if (req.method === 'POST') {
            const list = notes.get(key) ?? [];
            const note = { id: list.length + 1, ...(body as Json) };
            notes.set(key, [...list, note]);
            return send(201, note);
          }
        }
        return send(404, { code: 'NotFound' });
      }

      // Autotask
      if (
        h.apiintegrationcode !== c.autotask.integrationCode ||
        h.username !== c.autotask.userName ||
        h.secret !== c.autotask.secret
      )
        return send(401, { errors: ['unauthorized'] });
      if ((m = /^\/Tickets\/(\d+)$/.exec(p)) && req.method === 'GET')
        return send(200, { item: tickets.get(`autotask:${m[1]}`) ?? null });
      if ((m = /^\/Contacts\/(\d+)$/.exec(p)) && req.method === 'GET')
        return send(200, { item: contacts.get(m[1]!) ?? null });
      if ((m = /^\/Tickets\/(\d+)\/Notes$/.exec(p))) {
        const key = `autotask:${m[1]}`;
        if (req.method === 'GET')
          return send(200, {
            items: notes.get(key) ?? [],
            pageDetails: { count: (notes.get(key) ?? []).length },
          });
        if (req.method === 'POST') {
          // TicketNote's picklists: publish 1 All Autotask Users, 2 Internal Only, 3 Internal & Co-managed.
          const b = body as Json;
          if (![1, 2, 3].includes(Number(b.publish)) || !b.title || !b.description || !b.noteType)
            return send(500, {
              errors: ['title, description, noteType and publish (1, 2 or 3) are required'],
            });
          const list = notes.get(key) ?? [];
          const itemId = ++nextId;
          notes.set(key, [...list, { id: itemId, ...(body as Json) }]);
          return send(200, { itemId });
        }
      }
      if (p === '/Tickets' && req.method === 'POST') {
        const b = body as Json;
        for (const required of ['companyID', 'title', 'status', 'priority', 'dueDateTime'])
          if (b[required] === undefined) return send(500, { errors: [`${required} is required`] });
        const id = ++nextId;
        tickets.set(`autotask:${id}`, { ...b, id, ticketNumber: `T20260302.${String(id).padStart(4, '0')}` });
        return send(200, { itemId: id });
      }
      if (p === '/Tickets/query' && req.method === 'POST') {
        const items = ofVendor(tickets, 'autotask').filter((t) =>
          matches(t, (body as { filter: never }).filter),
        );
        return send(200, { items, pageDetails: { count: items.length } });
      }
      if (p === '/Contacts/query' && req.method === 'POST') {
        const items = [...contacts.entries()]
          .filter(([k]) => !k.includes(':'))
          .map(([, c]) => c)
          .filter((c) => matches(c, (body as { filter: never }).filter));
        return send(200, { items, pageDetails: { count: items.length } });
      }
      if (p === '/TimeEntries/query' && req.method === 'POST') {
        const items = [...timeEntries.entries()]
          .filter(([k]) => k.startsWith('autotask:'))
          .flatMap(([, list]) => list)
          .filter((e) => matches(e, (body as { filter: never }).filter));
        return send(200, { items, pageDetails: { count: items.length } });
      }
      if (p === '/Tickets' && req.method === 'PATCH') {
        const u = body as Json;
        const t = tickets.get(`autotask:${String(u.id)}`);
        if (!t) return send(404, { errors: ['no such ticket'] });
        Object.assign(t, u);
        return send(200, { itemId: u.id });
      }
      return send(404, { errors: ['no route'] });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    /** Tickets by `<vendor>:<id>`, in each vendor's own shape. */
    tickets,
    /** Contacts: Autotask's by id, ConnectWise's and Halo's users by `<vendor>:<id>`. */
    contacts,
    notes,
    timeEntries,
    /** The next calls answer these statuses (or hang), in order. */
    fail: (...f: { status: number; retryAfter?: string; hang?: boolean }[]) => failures.push(...f),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export type FakePsa = Awaited<ReturnType<typeof startFakePsa>>;
