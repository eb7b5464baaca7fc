import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { HttpRequest } from '@azure/functions';

import { DEMO_CLIENT } from '../../../src/domain/client';
import { signFormToken } from '../../../src/domain/portal';
import { acknowledgeAtOnce } from '../../../src/intake/acknowledgeAtOnce';
import { portalFileHandler } from '../../../src/portal/portalFile';
import { portalFormHandler } from '../../../src/portal/portalForm';
import {
  FakeWorkflow,
  InMemoryTicketStore,
  MemoryClients,
  MemoryTokens,
  RecordingMail,
} from '../../support/fakes';
import { invocationContext } from '../../support/http';

const KEY = 'k'.repeat(40);
const NOW = new Date('2026-03-02T10:00:00Z');
const principal = Buffer.from(
  JSON.stringify({
    claims: [
      { typ: 'preferred_username', val: 'ana@demo.example' },
      { typ: 'name', val: 'Ana Diaz' },
    ],
  }),
).toString('base64');

function setup(easyAuth: boolean) {
  const clients = new MemoryClients();
  void clients.put(DEMO_CLIENT);
  const tickets = new InMemoryTicketStore();
  const workflow = new FakeWorkflow();
  const kept: string[] = [];
  const mail = new RecordingMail();
  const file = portalFileHandler({
    tickets,
    clients,
    tokens: new MemoryTokens(),
    attachments: {
      putAttachment: (ticketId, filename) => {
        kept.push(`${ticketId}/${filename}`);
        return Promise.resolve(`${ticketId}/${filename}`);
      },
    },
    workflow: () => workflow,
    acknowledge: acknowledgeAtOnce(mail, () => NOW),
    linkSigningKey: KEY,
    publicBaseUrl: 'https://support.example',
    easyAuth,
    now: () => NOW,
  });
  const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    file(
      new HttpRequest({
        method: 'POST',
        url: 'https://support.example/api/portal/demo/tickets',
        params: { clientId: 'demo' },
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          ...headers,
        },
        body: {
          string: new URLSearchParams({
            form: signFormToken('demo', 'visit-1', NOW.getTime(), KEY),
            ...fields,
          }).toString(),
        },
      }),
      invocationContext(),
    );
  return { tickets, workflow, post, clients, kept, mail };
}

describe('POST /api/portal/{clientId}/tickets handler', () => {
  it('files once per visit, on channel portal, with the status link on the ticket before the workflow starts', async () => {
    const { tickets, workflow, post, mail } = setup(false);
    const fields = { email: 'Pat@Demo.Example', subject: 'Printer', description: 'my password is Hunter2!x' };
    const first = await post(fields);
    assert.equal(first.status, 202);
    const { ticketId, statusUrl } = first.jsonBody as { ticketId: string; statusUrl: string };
    const again = await post(fields);
    assert.equal(
      (again.jsonBody as { ticketId: string }).ticketId,
      ticketId,
      'a double submit files one ticket',
    );
    const ticket = await tickets.get(ticketId);
    assert.equal(ticket?.channel, 'portal');
    assert.equal(ticket?.requester.email, 'pat@demo.example');
    assert.equal(ticket?.statusLink, statusUrl);
    assert.ok(statusUrl.startsWith(`https://support.example/api/portal/demo/tickets/${ticketId}?token=`));
    assert.ok(workflow.started.has(ticketId));
    // Acknowledged while the form waited, once, with the status link in it; the workflow knows when.
    assert.deepEqual(
      mail.sent.map((m) => m.idempotencyKey),
      [`${ticketId}.ack`],
    );
    assert.ok(mail.sent[0]?.text.includes(statusUrl));
    assert.ok(workflow.inputs.get(ticketId)?.acknowledgedAt);
  });

  it('with Entra sign-in, takes the signed-in user’s address over anything typed, and refuses the anonymous', async () => {
    const { tickets, post } = setup(true);
    const res = await post(
      { email: 'someone-else@evil.example', subject: 'VPN', description: 'x' },
      { 'x-ms-client-principal': principal },
    );
    assert.equal(res.status, 202);
    const ticket = await tickets.get((res.jsonBody as { ticketId: string }).ticketId);
    assert.deepEqual(ticket?.requester, { email: 'ana@demo.example', name: 'Ana Diaz' });
    assert.equal((await post({ email: 'x@demo.example', subject: 'VPN', description: 'x' })).status, 401);
  });

  it('the form page shows the signed-in user instead of the email field', async () => {
    const { clients } = setup(true);
    const form = portalFormHandler({ clients, linkSigningKey: KEY, easyAuth: true, now: () => NOW });
    const req = (headers: Record<string, string>) =>
      new HttpRequest({
        method: 'GET',
        url: 'https://support.example/api/portal/demo',
        params: { clientId: 'demo' },
        headers: { accept: 'text/html', ...headers },
      });
    const page = await form(req({ 'x-ms-client-principal': principal }));
    assert.equal(page.status, 200);
    assert.match(page.body as string, /Signed in as Ana Diaz \(ana@demo\.example\)/);
    assert.doesNotMatch(page.body as string, /name="email"/);
    const anonymous = await form(req({}));
    assert.equal(anonymous.status, 401);
    assert.match(
      anonymous.body as string,
      /\/\.auth\/login\/aad\?post_login_redirect_uri=%2Fapi%2Fportal%2Fdemo/,
    );
  });

  it('refuses a forged or foreign form token (403) and a non-form body (415)', async () => {
    const { post } = setup(false);
    assert.equal(
      (await post({ form: 'forged.token', email: 'a@demo.example', subject: 's', description: 'd' })).status,
      403,
    );
    assert.equal(
      (
        await post({
          form: signFormToken('other', 'v', NOW.getTime(), KEY),
          email: 'a@demo.example',
          subject: 's',
          description: 'd',
        })
      ).status,
      403,
    );
    assert.equal((await post({}, { 'content-type': 'application/json' })).status, 415);
  });
});
