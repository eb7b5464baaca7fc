import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { DEMO_CLIENT } from '../../src/domain/client';
import { freePort, launchStart, waitFor } from '../support/npmStart';
import { seedClient } from '../support/runtime';
import { table, uniqueName } from '../support/storage';

interface View {
  stage: string;
  category: string;
  playbook?: { name: string; findings: string[]; actions: { action: string; target: string }[] };
  escalation?: { reason: string };
}
interface Mail {
  subject: string;
  text: string;
}

const PASSWORD = { subject: 'Forgot my password', body: 'I forgot my password and cannot sign in.' };
const VISIO = {
  subject: 'Visio licence',
  body: 'Please can I have a Visio licence so I can open the floor plan diagrams.',
};
const PROJECT = {
  subject: 'Microsoft Project licence',
  body: 'Please can I have a Microsoft Project licence so I can plan the surgery refit.',
};

/** The tickets of README's "Try every playbook", filed on `npm start` as a newcomer would. */
describe('npm start: every playbook on the demo tenant (README "Try every playbook")', () => {
  const prefix = uniqueName('demo');
  let url = '';
  let app: ReturnType<typeof launchStart> | undefined;

  before(async () => {
    // The demo client as an older run stored it: no directory, no catalogue.
    await seedClient(prefix, DEMO_CLIENT);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    app = launchStart({
      PORT: String(port),
      AUTOTIER_TASK_HUB: uniqueName('demo'),
      AUTOTIER_TABLE_PREFIX: prefix,
      AUTOTIER_PUBLIC_BASE_URL: '',
    });
    await app.ready;
  });
  after(async () => {
    if (!app) return;
    process.kill(-(app.proc.pid ?? 0), 'SIGINT');
    await app.exited;
  });

  const file = async (email: string, ticket: { subject: string; body: string }) => {
    const res = await fetch(`${url}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: 'demo', requester: { email }, ...ticket }),
    });
    assert.equal(res.status, 202, await res.clone().text());
    return ((await res.json()) as { ticketId: string }).ticketId;
  };
  const view = async (id: string) => (await (await fetch(`${url}/api/tickets/${id}`)).json()) as View;
  const mails = async (to: string, id: string) =>
    ((await (await fetch(`${url}/api/dev/outbox?to=${encodeURIComponent(to)}`)).json()) as Mail[]).filter(
      (m) => m.subject.startsWith(`[#${id}]`),
    );
  /** Files the ticket and waits until its playbook has run and the requester has heard the outcome. */
  const settled = async (email: string, ticket: { subject: string; body: string }) => {
    const id = await file(email, ticket);
    let last: View | undefined;
    const done = await waitFor(async () => {
      last = await view(id);
      const outcome = last.stage === 'awaiting_confirmation' || last.stage === 'escalated';
      return outcome && (await mails(email, id)).length >= 2; // the acknowledgement, then the outcome
    }, 30_000);
    assert.ok(done, `${id} settled: ${JSON.stringify(last)}`);
    return { id, view: last! };
  };
  const audit = async (id: string) =>
    (await new TableAuditLog(table(`${prefix}Audit`)).forClient('demo')).filter((r) => r.ticketId === id);

  it('serves the demo tenant on the app port and connects the demo client to it', async () => {
    assert.match(app!.output(), new RegExp(`${url}/_emulator/graph/v1\\.0`));
    const users = (await (
      await fetch(`${url}/_emulator/graph/v1.0/users?$filter=mail eq 'sspr@demo.example'`)
    ).json()) as { value: { userPrincipalName: string }[] };
    assert.deepEqual(
      users.value.map((u) => u.userPrincipalName),
      ['sspr@demo.example'],
    );
    const demo = await table(`${prefix}Clients`).getEntity<{ profile: string }>('client', 'demo');
    const profile = JSON.parse(demo.profile) as typeof DEMO_CLIENT;
    assert.deepEqual(profile.directory, {
      tenantId: 'demo',
      credential: 'none',
      baseUrl: `${url}/_emulator/graph`,
    });
    assert.deepEqual(
      profile.access?.products.map((p) => [p.product, p.sku]),
      [
        ['Visio', 'VISIOCLIENT'],
        ['Microsoft Project', 'PROJECTPROFESSIONAL'],
      ],
    );
    assert.deepEqual(profile.systemProfile, DEMO_CLIENT.systemProfile, 'the rest of the profile is kept');
  });

  it('password, registered for self-service reset: the reset steps', async () => {
    const { id, view } = await settled('sspr@demo.example', PASSWORD);
    assert.equal(view.stage, 'awaiting_confirmation');
    assert.ok(view.playbook?.findings.some((f) => /^Self-service reset registered/.test(f)));
    const guide = (await mails('sspr@demo.example', id)).at(-1);
    assert.equal(guide?.subject, `[#${id}] Getting back into your account`);
    assert.match(guide?.text ?? '', /aka\.ms\/sspr/);
    assert.deepEqual(await audit(id), [], 'nothing done to the account');
  });

  it('password, registered for MFA only: a Temporary Access Pass to the verified contact email', async () => {
    const { id, view } = await settled('mfa-only@demo.example', PASSWORD);
    assert.equal(view.stage, 'awaiting_confirmation');
    const [passMail] = await mails('mfa-only@personal.example', id);
    assert.equal(passMail?.subject, `[#${id}] Your one-time sign-in pass`);
    const pass = /sign-in pass:\n\n(\S+)/.exec(passMail?.text ?? '')?.[1];
    assert.ok(pass, passMail?.text);
    const steps = (await mails('mfa-only@demo.example', id)).at(-1);
    assert.equal(steps?.subject, `[#${id}] Getting back into your account with a one-time pass`);
    assert.match(steps?.text ?? '', /m\*\*\*@personal\.example/);
    for (const m of await mails('mfa-only@demo.example', id))
      assert.ok(!m.text.includes(pass), 'the pass goes only to the verified address');
    const [record] = await audit(id);
    assert.deepEqual(
      [record?.action, record?.target, record?.outcome],
      ['temporary_access_pass', 'mfa-only@demo.example', 'done'],
    );
  });

  it('password, no sign-in methods registered: escalated, nothing sent but the hand-over', async () => {
    const { id, view } = await settled('no-methods@demo.example', PASSWORD);
    assert.equal(view.stage, 'escalated');
    assert.match(view.escalation?.reason ?? '', /not registered for MFA or self-service reset/);
    const told = (await mails('no-methods@demo.example', id)).at(-1);
    assert.match(told?.subject ?? '', /An engineer is on it/);
    assert.match(told?.text ?? '', /we need to be sure it's really you/);
    assert.deepEqual(await audit(id), []);
  });

  it('password, disabled account: escalated as a possible leaver or block', async () => {
    const { id, view } = await settled('disabled@demo.example', PASSWORD);
    assert.equal(view.stage, 'escalated');
    assert.match(view.escalation?.reason ?? '', /disabled@demo\.example is disabled in Entra ID/);
    const told = (await mails('disabled@demo.example', id)).at(-1);
    assert.match(told?.text ?? '', /Your account is switched off/);
    assert.deepEqual(await audit(id), []);
  });

  it('a licence with free seats (Visio): assigned, audited, and the requester told how to start', async () => {
    const { id, view } = await settled('sspr@demo.example', VISIO);
    assert.equal(view.stage, 'awaiting_confirmation');
    assert.deepEqual(
      view.playbook?.actions.map((a) => [a.action, a.target]),
      [['licence_assigned', 'sspr@demo.example']],
    );
    assert.ok(view.playbook?.findings.some((f) => f.includes('VISIOCLIENT: 3 of 5 seats in use.')));
    const steps = (await mails('sspr@demo.example', id)).at(-1);
    assert.equal(steps?.subject, `[#${id}] Your access to Visio`);
    const [record] = await audit(id);
    assert.deepEqual([record?.action, record?.outcome], ['licence_assigned', 'done']);
    const skus = (await (await fetch(`${url}/_emulator/graph/v1.0/subscribedSkus`)).json()) as {
      value: { skuPartNumber: string; consumedUnits: number }[];
    };
    assert.equal(skus.value.find((s) => s.skuPartNumber === 'VISIOCLIENT')?.consumedUnits, 4);
  });

  it('a licence with no free seat (Microsoft Project): escalated with the count', async () => {
    const { id, view } = await settled('sspr@demo.example', PROJECT);
    assert.equal(view.stage, 'escalated');
    assert.match(
      view.escalation?.reason ?? '',
      /no free Microsoft Project licence \(PROJECTPROFESSIONAL: 2 of 2 in use\)/,
    );
    const told = (await mails('sspr@demo.example', id)).at(-1);
    assert.match(told?.text ?? '', /All of your organisation's Microsoft Project licences are in use/);
    assert.deepEqual(await audit(id), []);
  });
});
