import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';

import {
  connectWiseKeyUrlAllowed,
  signGeneric,
  verifyAutotask,
  verifyBasic,
  verifyConnectWise,
  verifyGeneric,
} from '../../../src/domain/webhookAuth';

const body = Buffer.from('{"id":"evt-1","subject":"VPN down"}');
const now = Date.parse('2026-03-02T10:00:00Z');
const ts = String(now / 1000);

describe('generic webhook signatures (HMAC-SHA256 over timestamp + raw body)', () => {
  it('accepts the current or the previous secret, and nothing else', () => {
    const sig = signGeneric(body, ts, 'old-secret');
    assert.equal(verifyGeneric(body, ts, sig, ['new-secret', 'old-secret'], now), true, 'rotation overlap');
    assert.equal(verifyGeneric(body, ts, sig, ['new-secret'], now), false);
    assert.equal(
      verifyGeneric(Buffer.from(`${body.toString()} `), ts, sig, ['old-secret'], now),
      false,
      'the raw bytes count',
    );
    assert.equal(verifyGeneric(body, ts, 'AAAA', ['old-secret'], now), false);
    assert.equal(verifyGeneric(body, null, sig, ['old-secret'], now), false);
  });

  it('refuses timestamps outside five minutes either way', () => {
    const old = String(now / 1000 - 301);
    assert.equal(verifyGeneric(body, old, signGeneric(body, old, 's'), ['s'], now), false);
    const future = String(now / 1000 + 301);
    assert.equal(verifyGeneric(body, future, signGeneric(body, future, 's'), ['s'], now), false);
    const edge = String(now / 1000 - 299);
    assert.equal(verifyGeneric(body, edge, signGeneric(body, edge, 's'), ['s'], now), true);
  });
});

describe('vendor signatures', () => {
  it('Autotask: sha1= base64 HMAC-SHA1 of the raw body', () => {
    const good = `sha1=${createHmac('sha1', 'at-secret').update(body).digest('base64')}`;
    assert.equal(verifyAutotask(body, good, ['at-secret']), true);
    assert.equal(verifyAutotask(body, good.replace('sha1=', ''), ['at-secret']), false);
    assert.equal(verifyAutotask(body, good, ['other']), false);
  });

  it('HaloPSA: Basic auth with the connection’s own pair', () => {
    const header = `Basic ${Buffer.from('halo:s3cret').toString('base64')}`;
    assert.equal(verifyBasic(header, ['halo:s3cret']), true);
    assert.equal(verifyBasic(header, ['halo:other']), false);
    assert.equal(verifyBasic('Bearer x', ['halo:s3cret']), false);
  });

  it('ConnectWise: HMAC-SHA256 keyed by SHA256(signing key)', () => {
    const key = createHash('sha256').update('cw-signing-key').digest();
    const sig = createHmac('sha256', key).update(body).digest('base64');
    assert.equal(verifyConnectWise(body, sig, 'cw-signing-key'), true);
    assert.equal(verifyConnectWise(body, sig, 'attacker-key'), false);
  });

  it('ConnectWise key URLs: only https on a ConnectWise host', () => {
    for (const ok of [
      'https://api-na.myconnectwise.net/v4_6_release/key',
      'https://api-eu.myconnectwise.net/callback/key',
      'https://sandbox-na.myconnectwise.net/k',
    ])
      assert.equal(connectWiseKeyUrlAllowed(ok), true, ok);
    for (const bad of [
      'http://api-na.myconnectwise.net/k',
      'https://myconnectwise.net.evil.example/k',
      'https://evil.example/?h=myconnectwise.net',
      'https://api-na.myconnectwise.net:8443/k',
      'https://user:pw@api-na.myconnectwise.net/k',
      'https://169.254.169.254/latest',
      'not a url',
    ])
      assert.equal(connectWiseKeyUrlAllowed(bad), false, bad);
  });
});
