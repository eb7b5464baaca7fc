import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { DEMO_CLIENT } from '../../src/domain/client';
import { type GraphEmulatorServer, startGraphEmulator } from '../../src/local/graphEmulator';
import { seedClient } from '../support/runtime';
import { table } from '../support/storage';
import { appUnderTest } from '../support/ticketApi';

const VISIO = { skuId: 'c5928f49-12ba-48f7-ada3-0d743a3601d5', skuPartNumber: 'VISIOCLIENT' };

describe('playbooks that act, end to end: the app, its orchestration, and a Graph server', () => {
  const app = appUnderTest();
  let graph: GraphEmulatorServer;

  before(async () => {
    graph = await startGraphEmulator();
    await seedClient(app.rt.tablePrefix, {
      ...DEMO_CLIENT,
      directory: {
        tenantId: '11111111-2222-3333-4444-555555555555',
        appId: 'app-1',
        credential: 'none',
        baseUrl: graph.url,
      },
      access: {
        approvalAboveMonthlyCost: 50,
        products: [{ product: 'Visio', sku: 'VISIOCLIENT', monthlyCost: 12, selfService: true }],
      },
    });
  });
  after(() => graph.close());

  const askForVisio = (email: string, name: string) =>
    app.api.file(
      email,
      'Visio licence',
      'Please can I have a Visio licence so I can open the floor plan diagrams.',
      name,
    );

  it('password help: a one-time pass to the verified address, the steps to the requester, yes closes it', async () => {
    const user = graph.addUser({
      userPrincipalName: 'kim@demo.example',
      mail: 'kim@demo.example',
      registration: { isSsprRegistered: false, isSsprEnabled: true, isMfaRegistered: true },
      emailMethods: ['kim.personal@example.org'],
    });
    const id = await app.api.file(
      'kim@demo.example',
      'Forgot my password',
      'I forgot my password and cannot sign in.',
      'Kim Park',
    );
    const pass = graph.passes.get(user.id)?.pass ?? '';
    assert.ok(pass, 'a pass was created');
    const [passMail] = await app.api.mails('kim.personal@example.org');
    assert.equal(passMail?.subject, `[#${id}] Your one-time sign-in pass`);
    assert.ok(passMail?.text.includes(pass));
    const [, steps] = await app.api.mails('kim@demo.example');
    assert.equal(steps?.subject, `[#${id}] Getting back into your account with a one-time pass`);
    assert.match(steps?.text ?? '', /k\*\*\*@example\.org/);
    for (const m of await app.api.mails('kim@demo.example'))
      assert.ok(!m.text.includes(pass), 'the pass only goes to the verified address');

    const [record] = await new TableAuditLog(table(`${app.rt.tablePrefix}Audit`)).forClient('demo');
    assert.deepEqual(
      [record?.action, record?.target, record?.ticketId, record?.outcome],
      ['temporary_access_pass', 'kim@demo.example', id, 'done'],
    );
    assert.equal(record?.actor, 'autotier (app app-1)');

    await app.api.click(app.api.link(steps, 'yes'));
    assert.equal((await app.api.view(id)).stage, 'resolved');
  });

  it('a licence with no free seat: escalated at once, with the reason for the engineer and for the requester', async () => {
    graph.addUser({ userPrincipalName: 'lee@demo.example', mail: 'lee@demo.example', usageLocation: 'GB' });
    graph.skus.set(VISIO.skuId, { ...VISIO, enabled: 5, consumed: 5 });
    const id = await askForVisio('lee@demo.example', 'Lee Chan');
    const view = await app.api.view(id);
    assert.equal(view.stage, 'escalated');
    assert.match(view.escalation?.reason ?? '', /no free Visio licence \(VISIOCLIENT: 5 of 5 in use\)/);
    const automation = view.escalation?.automation as { playbook?: { name: string; findings: string[] } };
    assert.equal(automation.playbook?.name, 'Licence or group access');
    assert.ok(automation.playbook?.findings.some((f) => /5 of 5 seats in use/.test(f)));
    const escalated = (await app.api.mails('lee@demo.example')).at(-1);
    assert.match(escalated?.subject ?? '', /An engineer is on it/);
    assert.match(escalated?.text ?? '', /All of your organisation's Visio licences are in use/);
  });

  it('a licence with a free seat is assigned, and the requester is told how to start', async () => {
    const user = graph.addUser({
      userPrincipalName: 'ana@demo.example',
      mail: 'ana@demo.example',
      usageLocation: 'GB',
    });
    graph.skus.set(VISIO.skuId, { ...VISIO, enabled: 5, consumed: 4 });
    const id = await askForVisio('ana@demo.example', 'Ana Ruiz');
    assert.deepEqual(graph.users.get(user.id)?.assignedLicenses, [{ skuId: VISIO.skuId }]);
    const steps = (await app.api.mails('ana@demo.example')).at(-1);
    assert.equal(steps?.subject, `[#${id}] Your access to Visio`);
    assert.match(steps?.text ?? '', /we've given your account access to Visio/);
    const view = (await app.api.view(id)) as unknown as {
      stage: string;
      playbook?: { actions: { action: string; target: string }[] };
    };
    assert.equal(view.stage, 'awaiting_confirmation');
    assert.deepEqual(
      view.playbook?.actions.map((a) => [a.action, a.target]),
      [['licence_assigned', 'ana@demo.example']],
    );
  });
});
