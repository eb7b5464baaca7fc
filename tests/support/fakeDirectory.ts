import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_DIRECTORY_TOKEN = 'directory-test-token';

export interface FakeUser {
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
  emailMethods?: string[];
}

export interface FakeSku {
  skuId: string;
  skuPartNumber: string;
  enabled: number;
  consumed: number;
}

export interface DirectoryRequest {
  method: string;
  path: string;
  query: string;
  body: unknown;
}

type Failure = { status?: number; retryAfter?: string; hangMs?: number; path?: RegExp };

const graphError = (code: string, message: string) => ({ error: { code, message } });

/**
 * A local server speaking the Microsoft Graph v1.0 endpoints the playbooks call, with Graph's
 * answers and errors: users by `$filter` on mail / UPN / proxy address, userRegistrationDetails,
 * email authentication methods, Temporary Access Pass creation (a new pass replaces the old one),
 * subscribedSkus, assignLicense (refused without a usage location or a free seat, as Graph does),
 * and group members `$ref` (400 for an existing member). It checks the bearer token. Tests can
 * make it throttle (429 with Retry-After), fail (5xx) or hang, for every call or one path. The app
 * under test in e2e has no way to get a token here, so there it runs with `requireToken: false`.
 */
export async function startFakeDirectory(options: { requireToken?: boolean } = {}) {
  const requireToken = options.requireToken ?? true;
  const users = new Map<string, FakeUser>();
  const skus = new Map<string, FakeSku>();
  const groups = new Map<string, Set<string>>();
  const passes = new Map<string, { id: string; pass: string }>();
  const requests: DirectoryRequest[] = [];
  const failures: Failure[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (b: Buffer) => chunks.push(b));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const path = decodeURIComponent(url.pathname).replace(/^\/v1\.0/, '');
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = (raw ? JSON.parse(raw) : undefined) as Record<string, unknown> | undefined;
      requests.push({ method: req.method ?? '', path, query: decodeURIComponent(url.search), body });
      const send = (status: number, value?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(value === undefined ? '' : JSON.stringify(value));
      };
      if (requireToken && req.headers.authorization !== `Bearer ${FAKE_DIRECTORY_TOKEN}`)
        return send(401, graphError('InvalidAuthenticationToken', 'Access token is empty.'));
      const fi = failures.findIndex((f) => !f.path || f.path.test(path));
      if (fi >= 0) {
        const f = failures.splice(fi, 1)[0]!;
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
      route(req.method ?? '', path, url, body, send);
    });
  });

  function route(
    method: string,
    path: string,
    url: URL,
    body: Record<string, unknown> | undefined,
    send: (status: number, value?: unknown) => void,
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

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    users,
    skus,
    groups,
    passes,
    requests,
    /** Adds a user; the id is derived from the UPN unless given. */
    addUser(u: Omit<FakeUser, 'id'> & { id?: string }): FakeUser {
      const user = { id: u.id ?? randomUUID(), accountEnabled: true, ...u };
      users.set(user.id, user);
      return user;
    },
    fail: (...f: Failure[]) => failures.push(...f),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export type FakeDirectory = Awaited<ReturnType<typeof startFakeDirectory>>;

/** An @azure/identity-shaped credential for the fake directory. */
export const fakeDirectoryCredential = {
  getToken: () =>
    Promise.resolve({ token: FAKE_DIRECTORY_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
};
