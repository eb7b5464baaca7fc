import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { HttpRequest } from '@azure/functions';

import { DEMO_CLIENT } from '../../../src/domain/client';
import {
  callerIp,
  portalAccess,
  RATE_LIMITS,
  signedInUser,
  withinRateLimits,
} from '../../../src/portal/portalAccess';
import { MemoryTokens } from '../../support/fakes';

const principal = (claims: { typ: string; val: string }[]) =>
  Buffer.from(JSON.stringify({ auth_typ: 'aad', claims })).toString('base64');
const request = (headers: Record<string, string> = {}) =>
  new HttpRequest({ method: 'GET', url: 'http://localhost/api/portal/demo', headers });

describe('portal access', () => {
  const signedIn = principal([
    { typ: 'preferred_username', val: 'Ana@Demo.Example' },
    { typ: 'name', val: 'Ana Diaz' },
  ]);
  it('trusts the signed-in user only when AUTOTIER_EASY_AUTH says the platform is in front', () => {
    assert.deepEqual(portalAccess(request({ 'x-ms-client-principal': signedIn }), DEMO_CLIENT, false), {
      ok: true,
      requester: { kind: 'anonymous' },
    });
    assert.deepEqual(portalAccess(request({ 'x-ms-client-principal': signedIn }), DEMO_CLIENT, true), {
      ok: true,
      requester: { kind: 'signed-in', email: 'ana@demo.example', name: 'Ana Diaz' },
    });
  });
  it('with sign-in on, refuses the anonymous unless the client allows them', () => {
    const refused = portalAccess(request(), DEMO_CLIENT, true);
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.status, 401);
    assert.deepEqual(portalAccess(request(), { ...DEMO_CLIENT, portal: { anonymous: true } }, true), {
      ok: true,
      requester: { kind: 'anonymous' },
    });
  });
  it('reads no user from a principal without an address, or from junk', () => {
    assert.equal(signedInUser(principal([{ typ: 'name', val: 'x' }])), undefined);
    assert.equal(signedInUser('%%%not base64 json'), undefined);
  });
});

describe('portal rate limits', () => {
  const now = new Date('2026-03-02T10:00:00Z');
  it(`allow ${RATE_LIMITS.perIpPerHour} an hour per IP, across addresses, then refuse until the next hour`, async () => {
    const tokens = new MemoryTokens();
    for (let i = 0; i < RATE_LIMITS.perIpPerHour; i++)
      assert.ok(await withinRateLimits(tokens, `p${i}@demo.example`, '198.51.100.7', now), `submission ${i}`);
    assert.equal(await withinRateLimits(tokens, 'new@demo.example', '198.51.100.7', now), false);
    assert.ok(await withinRateLimits(tokens, 'new@demo.example', '198.51.100.8', now), 'another IP');
    assert.ok(
      await withinRateLimits(tokens, 'new@demo.example', '198.51.100.7', new Date('2026-03-02T11:00:00Z')),
    );
  });
  it(`allow ${RATE_LIMITS.perAddressPerHour} an hour per address, whatever the IP, case-insensitive`, async () => {
    const tokens = new MemoryTokens();
    for (let i = 0; i < RATE_LIMITS.perAddressPerHour; i++)
      assert.ok(await withinRateLimits(tokens, 'same@demo.example', `192.0.2.${i}`, now));
    assert.equal(await withinRateLimits(tokens, 'SAME@demo.example', '192.0.2.99', now), false);
  });
  it('keep no address or IP in the nonces', async () => {
    const tokens = new MemoryTokens();
    await withinRateLimits(tokens, 'pat@demo.example', '203.0.113.9', now);
    assert.ok(![...tokens.used].some((n) => n.includes('pat') || n.includes('203.0')));
  });
  it('take the caller from the first X-Forwarded-For entry, without its port', () => {
    assert.equal(callerIp(request({ 'x-forwarded-for': '203.0.113.9:52311, 10.0.0.1' })), '203.0.113.9');
    assert.equal(callerIp(request({ 'x-forwarded-for': '[2001:db8::1]:443' })), '2001:db8::1');
    assert.equal(callerIp(request()), 'unknown');
  });
});
