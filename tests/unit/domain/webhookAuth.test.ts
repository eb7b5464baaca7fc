import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';

import {
  connectWiseKeyUrl,
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

  it("ConnectWise key URLs: only https on the configured site's host, under its API path, without query", () => {
    const base = 'https://api-na.myconnectwise.net/v4_6_release/apis/3.0';
    assert.equal(
      connectWiseKeyUrl(`${base}/system/callbackEntry/key/abc?nonce=1#x`, base),
      `${base}/system/callbackEntry/key/abc`,
      'query and fragment are dropped, so they cannot defeat the cache',
    );
    assert.equal(
      connectWiseKeyUrl('https://API-NA.myconnectwise.net/v4_6_release/apis/3.0/k', base),
      `${base}/k`,
    );
    for (const bad of [
      'https://api-eu.myconnectwise.net/v4_6_release/apis/3.0/k',
      'https://sandbox-na.myconnectwise.net/v4_6_release/apis/3.0/k',
      'http://api-na.myconnectwise.net/v4_6_release/apis/3.0/k',
      'https://api-na.myconnectwise.net/other/path/k',
      'https://api-na.myconnectwise.net/v4_6_release/apis/3.0/../../evil',
      'https://api-na.myconnectwise.net/v4_6_release/apis/3.0/%2e%2e/evil',
      'https://api-na.myconnectwise.net:8443/v4_6_release/apis/3.0/k',
      'https://user:pw@api-na.myconnectwise.net/v4_6_release/apis/3.0/k',
      'https://myconnectwise.net.evil.example/v4_6_release/apis/3.0/k',
      'https://169.254.169.254/latest',
      'not a url',
    ])
      assert.equal(connectWiseKeyUrl(bad, base), undefined, bad);
  });
});
