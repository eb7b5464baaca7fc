import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DEMO_CLIENT } from '../../../src/domain/client';
import { connectDemoTenant, DEMO_ACCESS, demoDirectory, demoTenant } from '../../../src/local/demoTenant';
import { MemoryClients } from '../../support/fakes';

const AT_7071 = 'http://127.0.0.1:7071/_emulator/graph';
const AT_8080 = 'http://127.0.0.1:8080/_emulator/graph';

describe('the demo tenant (npm start)', () => {
  it('connects a demo profile stored without a directory or catalogue, keeping the rest', async () => {
    const clients = new MemoryClients();
    assert.equal(await connectDemoTenant(clients, 'demo', AT_7071), true);
    const demo = await clients.get('demo');
    assert.deepEqual(demo, { ...DEMO_CLIENT, directory: demoDirectory(AT_7071), access: DEMO_ACCESS });
    assert.equal(
      await connectDemoTenant(clients, 'demo', AT_7071),
      false,
      'nothing to change the second time',
    );
  });

  it('follows the emulator to another port, and leaves a directory or catalogue someone set up alone', async () => {
    const clients = new MemoryClients();
    await connectDemoTenant(clients, 'demo', AT_7071);
    await connectDemoTenant(clients, 'demo', AT_8080);
    assert.equal((await clients.get('demo'))?.directory?.baseUrl, AT_8080);

    const own = {
      ...DEMO_CLIENT,
      directory: {
        tenantId: '11111111-2222-3333-4444-555555555555',
        appId: 'app-1',
        credential: 'workload-identity' as const,
      },
      access: { approvalAboveMonthlyCost: 0, products: [] },
    };
    await clients.put(own);
    assert.equal(await connectDemoTenant(clients, 'demo', AT_7071), false);
    assert.deepEqual(await clients.get('demo'), own);
    assert.equal(await connectDemoTenant(clients, 'absent', AT_7071), false, 'no profile, nothing made');
  });

  it('holds one user per password path and a licence with free seats beside a full one', () => {
    const graph = demoTenant();
    const by = (upn: string) => [...graph.users.values()].find((u) => u.userPrincipalName === upn);
    assert.equal(by('sspr@demo.example')?.registration?.isSsprRegistered, true);
    assert.deepEqual(
      [
        by('mfa-only@demo.example')?.registration?.isSsprRegistered,
        by('mfa-only@demo.example')?.registration?.isMfaRegistered,
      ],
      [false, true],
    );
    assert.deepEqual(by('mfa-only@demo.example')?.emailMethods, ['mfa-only@personal.example']);
    assert.equal(by('no-methods@demo.example')?.registration?.isMfaRegistered, false);
    assert.equal(by('disabled@demo.example')?.accountEnabled, false);
    const seats = Object.fromEntries(
      [...graph.skus.values()].map((s) => [s.skuPartNumber, s.enabled - s.consumed]),
    );
    assert.deepEqual(seats, { VISIOCLIENT: 2, PROJECTPROFESSIONAL: 0 });
    for (const p of DEMO_ACCESS.products) assert.ok(p.sku && p.sku in seats, `${p.product} is in the tenant`);
  });
});
