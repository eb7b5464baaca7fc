import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { readConfig, unresolvedKeyVaultReferences } from '../../src/config';

describe('readConfig', () => {
  it('refuses Key Vault references the platform left unresolved, naming each setting and no value', () => {
    const env = {
      AUTOTIER_PSA_SECRET: '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/psa-secret)',
      AUTOTIER_LINK_SIGNING_KEY: ' @microsoft.keyvault(VaultName=kv;SecretName=link-signing-key)',
      AUTOTIER_WEBHOOK_SECRETS: 'resolved-value',
    };
    assert.deepEqual(unresolvedKeyVaultReferences(env), ['AUTOTIER_LINK_SIGNING_KEY', 'AUTOTIER_PSA_SECRET']);
    assert.throws(
      () => readConfig(env),
      (err: Error) =>
        /^AUTOTIER_LINK_SIGNING_KEY, AUTOTIER_PSA_SECRET are Key Vault references that did not resolve/.test(
          err.message,
        ) && !err.message.includes('vault.azure.net'),
    );
  });

  it('reads the history retention as a positive number of days', () => {
    assert.equal(readConfig({}).historyRetentionDays, 30);
    assert.equal(readConfig({ AUTOTIER_HISTORY_RETENTION_DAYS: '7' }).historyRetentionDays, 7);
    assert.throws(() => readConfig({ AUTOTIER_HISTORY_RETENTION_DAYS: '0' }), /positive number/);
  });

  it('accepts graph as a mail mode', () => {
    assert.equal(readConfig({ AUTOTIER_MAIL_MODE: 'graph' }).mailMode, 'graph');
    assert.throws(() => readConfig({ AUTOTIER_MAIL_MODE: 'smtp' }), /outbox, acs or graph/);
  });

  it('reads AUTOTIER_NOTIFY, and stops the app on a bad value, naming the setting', () => {
    assert.equal(readConfig({}).notify, undefined);
    assert.deepEqual(readConfig({ AUTOTIER_NOTIFY: '{"oncall":{"email":"oncall@msp.example"}}' }).notify, {
      oncall: { email: 'oncall@msp.example' },
    });
    assert.throws(
      () => readConfig({ AUTOTIER_NOTIFY: '{"tier1":' }),
      /^Error: AUTOTIER_NOTIFY is not valid JSON$/,
    );
    assert.throws(
      () => readConfig({ AUTOTIER_NOTIFY: '{"pager":{"email":"p@msp.example"}}' }),
      /^Error: AUTOTIER_NOTIFY: unknown audience "pager"/,
    );
  });
});
