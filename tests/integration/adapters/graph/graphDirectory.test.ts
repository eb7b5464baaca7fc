import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { GraphDirectory } from '../../../../src/adapters/graph/graphDirectory';
import { type GraphEmulatorServer, startGraphEmulator } from '../../../../src/local/graphEmulator';
import { DirectoryError } from '../../../../src/ports/directory';
import { GRAPH_TEST_TOKEN, graphTestCredential } from '../../../support/graphCredential';

const VISIO = 'c5928f49-12ba-48f7-ada3-0d743a3601d5';

describe('GraphDirectory against a server speaking the Graph endpoints it uses', () => {
  let graph: GraphEmulatorServer;
  const directory = (options: { maxRetries?: number; timeoutMs?: number; maxWaitSeconds?: number } = {}) =>
    new GraphDirectory({
      credential: graphTestCredential,
      baseUrl: graph.url,
      timeoutMs: 2000,
      ...options,
    });

  before(async () => {
    graph = await startGraphEmulator({ token: GRAPH_TEST_TOKEN });
  });
  after(() => graph.close());
  beforeEach(() => {
    graph.users.clear();
    graph.skus.clear();
    graph.groups.clear();
    graph.requests.length = 0;
  });

  it('finds a user by mail, UPN or proxy address, with the fields the playbooks read', async () => {
    const u = graph.addUser({
      userPrincipalName: 'kim.park@demodental.onmicrosoft.com',
      mail: 'Kim.Park@demo.example',
      proxyAddresses: ['SMTP:Kim.Park@demo.example', 'smtp:kim@demo.example'],
      displayName: 'Kim Park',
      onPremisesSyncEnabled: true,
      onPremisesDomainName: 'demo.local',
      onPremisesSamAccountName: 'kpark',
      officeLocation: 'Riverside',
      usageLocation: 'GB',
      assignedLicenses: [{ skuId: VISIO }],
    });
    const d = directory();
    for (const address of [
      'kim.park@demo.example',
      'KIM.PARK@demodental.onmicrosoft.com',
      'kim@demo.example',
    ]) {
      const found = await d.findUser(address);
      assert.equal(found?.id, u.id, address);
    }
    assert.deepEqual(await d.findUser('kim.park@demo.example'), {
      id: u.id,
      userPrincipalName: 'kim.park@demodental.onmicrosoft.com',
      mail: 'Kim.Park@demo.example',
      displayName: 'Kim Park',
      accountEnabled: true,
      onPremises: { domain: 'demo.local', samAccountName: 'kpark' },
      officeLocation: 'Riverside',
      usageLocation: 'GB',
      assignedSkuIds: [VISIO],
    });
    assert.equal(await d.findUser('someone@else.example'), undefined);
    const query = graph.requests.find((r) => r.path === '/users')?.query ?? '';
    assert.match(query, /\$filter=mail eq 'kim\.park@demo\.example' or userPrincipalName eq/);
    assert.match(query, /\$select=id,userPrincipalName,mail/);
  });

  it('treats two accounts with one address as unknown, and escapes quotes in the filter', async () => {
    graph.addUser({ userPrincipalName: 'a@demo.example', mail: "o'neil@demo.example" });
    graph.addUser({ userPrincipalName: 'b@demo.example', mail: "o'neil@demo.example" });
    assert.equal(await directory().findUser("o'neil@demo.example"), undefined);
    assert.match(graph.requests[0]?.query ?? '', /mail eq 'o''neil@demo\.example'/);
  });

  it('reads sign-in registration and verified email methods, and creates a Temporary Access Pass', async () => {
    const u = graph.addUser({
      userPrincipalName: 'sam@demo.example',
      registration: { isSsprRegistered: true, isSsprEnabled: true, isMfaRegistered: true },
      emailMethods: ['sam.home@example.org'],
    });
    const d = directory();
    assert.deepEqual(await d.registration(u.id), {
      ssprRegistered: true,
      ssprEnabled: true,
      mfaRegistered: true,
      methods: ['microsoftAuthenticatorPush'],
    });
    assert.deepEqual(await d.verifiedEmails(u.id), ['sam.home@example.org']);
    const tap = await d.createTemporaryAccessPass(u.id, { lifetimeMinutes: 60, usableOnce: true });
    assert.equal(tap.pass, graph.passes.get(u.id)?.pass);
    assert.deepEqual({ m: tap.lifetimeMinutes, o: tap.usableOnce }, { m: 60, o: true });
    assert.deepEqual(graph.requests.at(-1)?.body, { lifetimeInMinutes: 60, isUsableOnce: true });
  });

  it('reads free seats, assigns a licence, and adds a group member once', async () => {
    const u = graph.addUser({ userPrincipalName: 'sam@demo.example', usageLocation: 'GB' });
    graph.skus.set(VISIO, { skuId: VISIO, skuPartNumber: 'VISIOCLIENT', enabled: 5, consumed: 4 });
    graph.groups.set('g-adobe', new Set());
    const d = directory();
    assert.deepEqual(await d.subscribedSkus(), [
      { skuId: VISIO, skuPartNumber: 'VISIOCLIENT', enabled: 5, consumed: 4 },
    ]);
    await d.assignLicence(u.id, VISIO);
    assert.deepEqual(graph.users.get(u.id)?.assignedLicenses, [{ skuId: VISIO }]);
    assert.deepEqual(graph.requests.at(-1)?.body, {
      addLicenses: [{ skuId: VISIO, disabledPlans: [] }],
      removeLicenses: [],
    });
    assert.equal(await d.addGroupMember('g-adobe', u.id), 'added');
    assert.equal(await d.addGroupMember('g-adobe', u.id), 'already');
    assert.ok(graph.groups.get('g-adobe')?.has(u.id));
  });

  it('says why Graph refused: no usage location, or no token', async () => {
    const u = graph.addUser({ userPrincipalName: 'sam@demo.example' });
    graph.skus.set(VISIO, { skuId: VISIO, skuPartNumber: 'VISIOCLIENT', enabled: 5, consumed: 0 });
    await assert.rejects(directory().assignLicence(u.id, VISIO), (err: unknown) => {
      assert.ok(err instanceof DirectoryError);
      assert.equal(err.kind, 'rejected');
      assert.equal(err.status, 400);
      assert.match(err.message, /assign the licence.*invalid usage location/);
      return true;
    });
    const anonymous = new GraphDirectory({ credential: undefined, baseUrl: graph.url });
    await assert.rejects(anonymous.subscribedSkus(), (err: unknown) => {
      assert.ok(err instanceof DirectoryError);
      assert.equal(err.status, 401);
      return true;
    });
  });

  it('retries after 429 for as long as Retry-After says, then succeeds', async () => {
    graph.fail({ status: 429, retryAfter: '1' });
    const started = Date.now();
    assert.deepEqual(await directory().subscribedSkus(), []);
    assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
    assert.equal(graph.requests.filter((r) => r.path === '/subscribedSkus').length, 2);
  });

  it('gives up on throttling that lasts, or asks for a longer wait than one activity may take', async () => {
    graph.fail({ status: 429, retryAfter: '1' }, { status: 429, retryAfter: '1' });
    await assert.rejects(directory({ maxRetries: 1 }).subscribedSkus(), (err: unknown) => {
      assert.ok(err instanceof DirectoryError);
      assert.deepEqual([err.kind, err.retryAfterSeconds], ['throttled', 1]);
      return true;
    });
    graph.fail({ status: 429, retryAfter: '120' });
    const started = Date.now();
    await assert.rejects(directory().subscribedSkus(), /throttling.*wait 120 s/);
    assert.ok(Date.now() - started < 1000, 'did not wait two minutes');
  });

  it('reports 5xx and a call that hangs past the timeout', async () => {
    graph.fail({ status: 500 });
    await assert.rejects(directory().subscribedSkus(), (err: unknown) => {
      assert.ok(err instanceof DirectoryError);
      assert.deepEqual([err.kind, err.status], ['unavailable', 500]);
      return true;
    });
    graph.fail({ hangMs: 3000 });
    await assert.rejects(directory({ timeoutMs: 200 }).subscribedSkus(), (err: unknown) => {
      assert.ok(err instanceof DirectoryError);
      assert.equal(err.kind, 'timeout');
      return true;
    });
  });
});
