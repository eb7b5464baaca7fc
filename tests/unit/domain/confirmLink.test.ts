import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { signConfirmToken, verifyConfirmToken } from '../../../src/domain/confirmLink';

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
