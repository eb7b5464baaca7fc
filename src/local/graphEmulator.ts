import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { type MountedRequest, readBody } from './mounts';

export interface EmulatedUser {
  id: string;
  userPrincipalName: string;
  mail?: string;
  proxyAddresses?: string[];
  displayName?: string;
  accountEnabled?: boolean;
  onPremisesSyncEnabled?: boolean;
  onPremisesDomainName?: string;
  onPremisesSamAccountName?: string;
  officeLocation?: string;
  usageLocation?: string;
  assignedLicenses?: { skuId: string }[];
  registration?: { isSsprRegistered: boolean; isSsprEnabled: boolean; isMfaRegistered: boolean };
  /** Email addresses the user registered (and verified) as an authentication method. */
  emailMethods?: string[];
}

export interface EmulatedSku {
  skuId: string;
  skuPartNumber: string;
  enabled: number;
  consumed: number;
}

export interface GraphRequest {
  method: string;
  path: string;
  query: string;
  body: unknown;
}

export type GraphFault = { status?: number; retryAfter?: string; hangMs?: number; path?: RegExp };

export interface GraphEmulatorOptions {
  /** The bearer token every request must carry; unset: no token is asked for (npm start). */
  token?: string;
}

const graphError = (code: string, message: string) => ({ error: { code, message } });

type Send = (status: number, value?: unknown, headers?: Record<string, string>) => void;

/**
 * A local stand-in for the Microsoft Graph v1.0 endpoints the GraphDirectory adapter calls, with
 * Graph's answers and errors: users by `$filter` on mail / UPN / proxy address,
 * userRegistrationDetails, email authentication methods, Temporary Access Pass creation (a new
 * pass replaces the old one), subscribedSkus, assignLicense (refused without a usage location or a
 * free seat, as Graph does), and group members `$ref` (400 for an existing member). With a token
 * set it refuses requests without it. Faults can be injected (429 with Retry-After, 5xx, a hang)
 * for every call or one path. Its state lives in memory: tests fill it, and `npm start` serves
 * the demo tenant from it (src/local/demoTenant.ts). Paths may carry the `/v1.0` version or not.
 */
export function createGraphEmulator(options: GraphEmulatorOptions = {}) {
  const users = new Map<string, EmulatedUser>();
  const skus = new Map<string, EmulatedSku>();
  const groups = new Map<string, Set<string>>();
  const passes = new Map<string, { id: string; pass: string }>();
  const requests: GraphRequest[] = [];
  const faults: GraphFault[] = [];

  /** Serves one request whose body has been read; `url` is relative to where it is mounted. */
  function handle(request: MountedRequest, res: http.ServerResponse): void {
    const send: Send = (status, value, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(value === undefined ? '' : JSON.stringify(value));
    };
    const { method, url } = request;
    let path: string;
    let query: string;
    let body: Record<string, unknown> | undefined;
    try {
      path = decodeURIComponent(url.pathname).replace(/^\/v1\.0/, '');
      query = decodeURIComponent(url.search);
      const raw = request.body.toString('utf8');
      body = (raw ? JSON.parse(raw) : undefined) as Record<string, unknown> | undefined;
    } catch {
      return send(400, graphError('BadRequest', 'the URL or the JSON body could not be read'));
    }
    requests.push({ method, path, query, body });
    if (options.token !== undefined && request.headers.authorization !== `Bearer ${options.token}`)
      return send(401, graphError('InvalidAuthenticationToken', 'Access token is empty.'));
    const fi = faults.findIndex((f) => !f.path || f.path.test(path));
    if (fi >= 0) {
      const f = faults.splice(fi, 1)[0]!;
      if (f.hangMs) {
        setTimeout(() => send(200, { value: [] }), f.hangMs).unref();
        return;
      }
      return send(
        f.status ?? 500,
        graphError(f.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable', 'injected'),
        f.retryAfter ? { 'retry-after': f.retryAfter } : {},
      );
    }
    route(method, path, url, body, send);
  }

  function route(
    method: string,
    path: string,
    url: URL,
    body: Record<string, unknown> | undefined,
    send: Send,
  ) {
    if (method === 'GET' && path === '/users') {
      const wanted = /'([^']*)'/.exec(url.searchParams.get('$filter') ?? '')?.[1]?.toLowerCase() ?? '';
      const value = [...users.values()]
        .filter(
          (u) =>
            u.mail?.toLowerCase() === wanted ||
            u.userPrincipalName.toLowerCase() === wanted ||
            (u.proxyAddresses ?? []).some((p) => p.toLowerCase() === `smtp:${wanted}`),
        )
        .map(({ registration: _r, emailMethods: _e, ...u }) => u);
      return send(200, { value });
    }
    let m = /^\/reports\/authenticationMethods\/userRegistrationDetails\/([^/]+)$/.exec(path);
    if (m && method === 'GET') {
      const u = users.get(m[1]!);
      if (!u) return send(404, graphError('Request_ResourceNotFound', 'no such user'));
      const r = u.registration ?? { isSsprRegistered: false, isSsprEnabled: false, isMfaRegistered: false };
      return send(200, {
        id: u.id,
        ...r,
        methodsRegistered: r.isMfaRegistered ? ['microsoftAuthenticatorPush'] : [],
      });
    }
    m = /^\/users\/([^/]+)\/authentication\/emailMethods$/.exec(path);
    if (m && method === 'GET') {
      const u = users.get(m[1]!);
      if (!u) return send(404, graphError('Request_ResourceNotFound', 'no such user'));
      return send(200, { value: (u.emailMethods ?? []).map((e) => ({ id: randomUUID(), emailAddress: e })) });
    }
    m = /^\/users\/([^/]+)\/authentication\/temporaryAccessPassMethods$/.exec(path);
    if (m && method === 'POST') {
      if (!users.has(m[1]!)) return send(404, graphError('Request_ResourceNotFound', 'no such user'));
      const tap = { id: randomUUID(), pass: randomBytes(6).toString('base64url') };
      passes.set(m[1]!, tap);
      return send(201, {
        id: tap.id,
        temporaryAccessPass: tap.pass,
        lifetimeInMinutes: Number(body?.lifetimeInMinutes ?? 60),
        isUsableOnce: body?.isUsableOnce === true,
        isUsable: true,
        methodUsabilityReason: 'EnabledByPolicy',
      });
    }
    if (method === 'GET' && path === '/subscribedSkus')
      return send(200, {
        value: [...skus.values()].map((s) => ({
          skuId: s.skuId,
          skuPartNumber: s.skuPartNumber,
          capabilityStatus: 'Enabled',
          consumedUnits: s.consumed,
          prepaidUnits: { enabled: s.enabled, suspended: 0, warning: 0 },
        })),
      });
    m = /^\/users\/([^/]+)\/assignLicense$/.exec(path);
    if (m && method === 'POST') {
      const u = users.get(m[1]!);
      if (!u) return send(404, graphError('Request_ResourceNotFound', 'no such user'));
      if (!u.usageLocation)
        return send(
          400,
          graphError(
            'Request_BadRequest',
            'License assignment cannot be done for user with invalid usage location.',
          ),
        );
      for (const add of (body?.addLicenses ?? []) as { skuId: string }[]) {
        const sku = skus.get(add.skuId);
        if (!sku) return send(400, graphError('Request_BadRequest', 'License not found.'));
        const has = (u.assignedLicenses ?? []).some((l) => l.skuId === add.skuId);
        if (has) continue;
        if (sku.consumed >= sku.enabled)
          return send(
            400,
            graphError('Request_BadRequest', 'Subscription does not have any available licenses.'),
          );
        sku.consumed++;
        u.assignedLicenses = [...(u.assignedLicenses ?? []), { skuId: add.skuId }];
      }
      return send(200, { id: u.id });
    }
    m = /^\/groups\/([^/]+)\/members\/\$ref$/.exec(path);
    if (m && method === 'POST') {
      const members = groups.get(m[1]!);
      if (!members) return send(404, graphError('Request_ResourceNotFound', 'no such group'));
      const ref = body?.['@odata.id'];
      const id = /directoryObjects\/([^/]+)$/.exec(typeof ref === 'string' ? ref : '')?.[1] ?? '';
      if (!users.has(id)) return send(404, graphError('Request_ResourceNotFound', 'no such object'));
      if (members.has(id))
        return send(
          400,
          graphError(
            'Request_BadRequest',
            "One or more added object references already exist for the following modified properties: 'members'.",
          ),
        );
      members.add(id);
      return send(204);
    }
    send(404, graphError('BadRequest', `no route ${method} ${path}`));
  }

  return {
    users,
    skus,
    groups,
    passes,
    requests,
    handle,
    /** Adds a user, enabled unless it says otherwise, with a new id unless one is given. */
    addUser(u: Omit<EmulatedUser, 'id'> & { id?: string }): EmulatedUser {
      const user = { id: u.id ?? randomUUID(), accountEnabled: true, ...u };
      users.set(user.id, user);
      return user;
    },
    /** The next request (on a path matching `path`, if given) fails as described, once per fault. */
    fail: (...f: GraphFault[]) => faults.push(...f),
  };
}

export type GraphEmulator = ReturnType<typeof createGraphEmulator>;

/** The emulator on a server of its own at 127.0.0.1 on a free port (tests). */
export async function startGraphEmulator(options: GraphEmulatorOptions = {}) {
  const emulator = createGraphEmulator(options);
  const server = http.createServer((req, res) => {
    void readBody(req, Number.MAX_SAFE_INTEGER).then((body) =>
      emulator.handle(
        {
          method: (req.method ?? 'GET').toUpperCase(),
          url: new URL(req.url ?? '/', 'http://emulator'),
          headers: req.headers,
          body: body ?? Buffer.alloc(0),
        },
        res,
      ),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    ...emulator,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export type GraphEmulatorServer = Awaited<ReturnType<typeof startGraphEmulator>>;
