import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { HttpRequest } from '@azure/functions';

import { readConfig } from '../../../src/config';
import { opsAuthLevel } from '../../../src/ops/opsAccess';
import { opsListHandler } from '../../../src/ops/opsList';
import { FakeWorkflowMonitor, InMemoryTicketStore, MemoryClients } from '../../support/fakes';
import { invocationContext } from '../../support/http';

const now = new Date('2026-03-02T12:00:00.000Z');

function handlers(signIn = false) {
  const monitor = new FakeWorkflowMonitor();
  return {
    list: opsListHandler({
      tickets: new InMemoryTicketStore(),
      clients: new MemoryClients(),
      monitor: () => monitor,
      now: () => now,
      signIn,
    }),
  };
}

const get = (url: string, headers: Record<string, string> = {}, params: Record<string, string> = {}) =>
  new HttpRequest({ method: 'GET', url, headers, params });

describe('GET /api/ops handler', () => {
  it('answer a page with a CSP, JSON {error} for a bad filter (a page for a browser), 404 for an unknown client', async () => {
    const { list } = handlers();
    const ok = await list(get('http://localhost/api/ops'), invocationContext());
    assert.equal(ok.status, 200);
    assert.match(
      String((ok.headers as Record<string, string>)['content-security-policy']),
      /default-src 'none'/,
    );
    const bad = await list(get('http://localhost/api/ops?stage=nope'), invocationContext());
    assert.equal(bad.status, 400);
    assert.match((bad.jsonBody as { error: string }).error, /^stage:/);
    const page = await list(
      get('http://localhost/api/ops?stage=nope', { accept: 'text/html' }),
      invocationContext(),
    );
    assert.equal(page.status, 400);
    assert.match(page.body as string, /That filter does not work.*stage: must be one of/s);
    assert.equal(
      (await list(get('http://localhost/api/ops?client=nobody'), invocationContext())).status,
      404,
    );
  });

  it('behind App Service authentication: the platform’s signed-in principal is required', async () => {
    assert.equal(opsAuthLevel(readConfig({}).appServiceAuth), 'admin');
    assert.equal(opsAuthLevel(readConfig({ WEBSITE_AUTH_ENABLED: 'True' }).appServiceAuth), 'anonymous');
    assert.equal(readConfig({ WEBSITE_AUTH_ENABLED: 'false' }).appServiceAuth, false);
    const { list } = handlers(true);
    assert.equal((await list(get('http://localhost/api/ops'), invocationContext())).status, 401);
    const page = await list(get('http://localhost/api/ops', { accept: 'text/html' }), invocationContext());
    assert.equal(page.status, 401);
    assert.match(page.body as string, /href="\/\.auth\/login\/aad\?post_login_redirect_uri=%2Fapi%2Fops"/);
    const principal = (roles: string[]) =>
      Buffer.from(
        JSON.stringify({
          auth_typ: 'aad',
          claims: [{ typ: 'name', val: 'Ops' }, ...roles.map((val) => ({ typ: 'roles', val }))],
        }),
      ).toString('base64');
    const as = (roles: string[]) =>
      list(
        get('http://localhost/api/ops', {
          'x-ms-client-principal-name': 'someone@client.example',
          'x-ms-client-principal': principal(roles),
        }),
        invocationContext(),
      );
    assert.equal((await as([])).status, 403, 'signed in is not enough: a requester may be signed in too');
    assert.equal((await as(['Portal.User'])).status, 403);
    assert.equal((await as(['Ops.Read'])).status, 200);
    const nameOnly = await list(
      get('http://localhost/api/ops', { 'x-ms-client-principal-name': 'ops@msp.example' }),
      invocationContext(),
    );
    assert.equal(nameOnly.status, 403, 'no principal, no role');
  });
});
