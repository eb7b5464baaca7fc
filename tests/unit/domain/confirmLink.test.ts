import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';

import { signConfirmToken, verifyConfirmToken } from '../../../src/domain/confirmLink';
import { signGeneric, verifyAutotask, verifyBasic, verifyGeneric } from '../../../src/domain/webhookAuth';

const KEY = 'x'.repeat(40);
const token = { ticketId: 'T-1042', nonce: 'T-1042.playbook-1', expiresAt: 2_000 };

describe('signed confirmation links', () => {
  it('verifies a token for its own ticket before it expires', () => {
    const r = verifyConfirmToken(signConfirmToken(token, KEY), 'T-1042', KEY, 1_000);
    assert.deepEqual(r, { ok: true, token });
  });

  it('refuses tampering, another ticket, another key, expiry and junk', () => {
    const signed = signConfirmToken(token, KEY);
    const [payload, sig] = signed.split('.');
    const forged = `${Buffer.from(JSON.stringify(['T-1042', 'other', 9e15])).toString('base64url')}.${sig}`;
    assert.deepEqual(verifyConfirmToken(forged, 'T-1042', KEY, 1_000), {
      ok: false,
      reason: 'bad_signature',
    });
    assert.deepEqual(verifyConfirmToken(signed, 'T-1043', KEY, 1_000), { ok: false, reason: 'wrong_ticket' });
    assert.deepEqual(verifyConfirmToken(signed, 'T-1042', 'y'.repeat(40), 1_000), {
      ok: false,
      reason: 'bad_signature',
    });
    assert.deepEqual(verifyConfirmToken(signed, 'T-1042', KEY, 2_001), { ok: false, reason: 'expired' });
    assert.deepEqual(verifyConfirmToken(`${payload}`, 'T-1042', KEY, 1_000), {
      ok: false,
      reason: 'malformed',
    });
    assert.deepEqual(verifyConfirmToken('', 'T-1042', KEY, 1_000), { ok: false, reason: 'malformed' });
  });
});

describe('canonical encodings only', () => {
  it('refuses a confirm token, a webhook signature or Basic credentials with junk appended', () => {
    const key = 'k'.repeat(40);
    const token = signConfirmToken({ ticketId: 'T-1', nonce: 'n', expiresAt: 2000 }, key);
    assert.equal(verifyConfirmToken(token, 'T-1', key, 1000).ok, true);
    for (const junk of ['!', '$$', '%', ' x', '='])
      assert.equal(verifyConfirmToken(`${token}${junk}`, 'T-1', key, 1000).ok, false, junk);

    const raw = Buffer.from('{"eventId":"e"}');
    const sig = signGeneric(raw, '1000', 'secret');
    assert.equal(verifyGeneric(raw, '1000', sig, ['secret'], 1_000_000), true);
    assert.equal(verifyGeneric(raw, '1000', `${sig}!!`, ['secret'], 1_000_000), false);
    const at = createHmac('sha1', 'hook').update(raw).digest('base64');
    assert.equal(verifyAutotask(raw, `sha1=${at}`, ['hook']), true);
    assert.equal(verifyAutotask(raw, `sha1=${at}*`, ['hook']), false);
    const basic = Buffer.from('user:pass').toString('base64');
    assert.equal(verifyBasic(`Basic ${basic}`, ['user:pass']), true);
    assert.equal(verifyBasic(`Basic ${basic}.`, ['user:pass']), false);
  });
});
