import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ClientAssertionCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
} from '@azure/identity';

import {
  credentialFor,
  directoriesFromConnections,
} from '../../../../src/adapters/graph/directoryConnection';
import { DEMO_CLIENT } from '../../../../src/domain/client';
import { DirectoryError } from '../../../../src/ports/directory';

const tenantId = '11111111-2222-3333-4444-555555555555';

describe("a client's directory connection", () => {
  it('builds the credential the connection names', () => {
    assert.ok(
      credentialFor({ tenantId, appId: 'a', credential: 'workload-identity' }) instanceof
        ClientAssertionCredential,
    );
    assert.ok(
      credentialFor({ tenantId, credential: 'managed-identity' }) instanceof ManagedIdentityCredential,
    );
    assert.ok(
      credentialFor(
        { tenantId, appId: 'a', credential: 'client-secret', secretSetting: 'S' },
        { S: 'secret' },
      ) instanceof ClientSecretCredential,
    );
    assert.equal(credentialFor({ tenantId, credential: 'none' }), undefined);
  });

  it('says what is missing, as a directory error that hands the ticket to a person', () => {
    assert.throws(
      () => credentialFor({ tenantId, appId: 'a', credential: 'client-secret', secretSetting: 'S' }, {}),
      (err: unknown) =>
        err instanceof DirectoryError &&
        /app setting S is empty/.test(err.message) &&
        !/secret:/.test(err.message),
    );
    assert.throws(() => credentialFor({ tenantId, credential: 'workload-identity' }), /appId is missing/);
  });

  it('gives no directory to a client without a connection, and reuses one while it is unchanged', () => {
    const directoryFor = directoriesFromConnections({});
    assert.equal(directoryFor(DEMO_CLIENT), undefined);
    const connected = {
      ...DEMO_CLIENT,
      directory: { tenantId, credential: 'none' as const, baseUrl: 'http://127.0.0.1:9' },
    };
    const first = directoryFor(connected);
    assert.ok(first);
    assert.equal(directoryFor({ ...connected }), first);
    assert.notEqual(
      directoryFor({ ...connected, directory: { ...connected.directory, baseUrl: 'http://127.0.0.1:10' } }),
      first,
    );
  });
});
