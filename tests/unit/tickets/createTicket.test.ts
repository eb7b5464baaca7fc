import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { InvocationContext } from '@azure/functions';

import { MAX_TICKET_REQUEST_BYTES } from '../../../src/domain/intake';
import { acknowledgeAtOnce } from '../../../src/intake/acknowledgeAtOnce';
import type { EmailSender } from '../../../src/ports/emailSender';
import { createTicketHandler } from '../../../src/tickets/createTicket';
import { FakeWorkflow, InMemoryTicketStore, MemoryClients, RecordingMail } from '../../support/fakes';
import { invocationContext, jsonRequest } from '../../support/http';

const URL = 'http://localhost:7071/api/tickets';
const valid = {
  clientId: 'demo',
  requester: { email: 'sam@demo.example' },
  subject: 'Outlook keeps crashing',
  body: 'Every time I open it.',
};

function setup(mail: EmailSender = new RecordingMail()) {
  const tickets = new InMemoryTicketStore();
  const workflow = new FakeWorkflow();
  const now = () => new Date('2026-03-02T10:00:00Z');
  const handler = createTicketHandler({
    tickets,
    clients: new MemoryClients(),
    workflow: () => workflow,
    acknowledge: acknowledgeAtOnce(mail, now, { timeoutMs: 50, failures: 2, pauseMs: 60_000 }),
    now,
    publicBaseUrl: 'http://localhost:7071',
  });
  return {
    tickets,
    workflow,
    call: (body: unknown, headers?: Record<string, string>) =>
      handler(jsonRequest('POST', URL, body, headers), invocationContext()),
  };
}

describe('POST /api/tickets handler', () => {
  it('stores the ticket, starts its orchestration and answers 202 with a status URL', async () => {
    const { tickets, workflow, call } = setup();
    const res = await call(valid);
    assert.equal(res.status, 202);
    const body = res.jsonBody as { ticketId: string; statusUrl: string };
    assert.match(body.ticketId, /^T-\d+$/);
    assert.equal(body.statusUrl, `http://localhost:7071/api/tickets/${body.ticketId}`);
    assert.equal(tickets.tickets.get(body.ticketId)?.subject, valid.subject);
    assert.ok(workflow.started.has(body.ticketId));
  });

  it('acknowledges the requester before the workflow starts, once, and tells the workflow when', async () => {
    const mail = new RecordingMail();
    const { workflow, call } = setup(mail);
    const body = (await call({ ...valid, externalId: 'api-7' })).jsonBody as { ticketId: string };
    assert.equal(mail.sent.length, 1);
    assert.equal(mail.sent[0]?.idempotencyKey, `${body.ticketId}.ack`);
    assert.equal(mail.sent[0]?.to, valid.requester.email);
    assert.match(mail.sent[0]?.text ?? '', new RegExp(`reference number is ${body.ticketId}`));
    assert.equal(workflow.inputs.get(body.ticketId)?.acknowledgedAt, '2026-03-02T10:00:00.000Z');
    await call({ ...valid, externalId: 'api-7' }); // a repeat delivery
    assert.equal(mail.sent.length, 1);
  });

  it('a mail service that fails or hangs: the ticket is taken all the same and its workflow sends the mail', async () => {
    const warnings: string[] = [];
    let calls = 0;
    const failing: EmailSender = {
      send: () => {
        calls++;
        return calls === 1
          ? Promise.reject(new Error('ACS refused sam@demo.example'))
          : new Promise(() => {});
      },
    };
    const { workflow } = setup(failing);
    const handler = createTicketHandler({
      tickets: new InMemoryTicketStore(),
      clients: new MemoryClients(),
      workflow: () => workflow,
      acknowledge: acknowledgeAtOnce(failing, () => new Date('2026-03-02T10:00:00Z'), {
        timeoutMs: 50,
        failures: 2,
        pauseMs: 60_000,
      }),
      now: () => new Date('2026-03-02T10:00:00Z'),
      publicBaseUrl: 'http://localhost:7071',
    });
    const context = new InvocationContext({
      functionName: 'test',
      invocationId: 'test',
      logHandler: (level, ...args) => void (level === 'warning' && warnings.push(args.join(' '))),
    });
    for (let i = 0; i < 3; i++) {
      const res = await handler(jsonRequest('POST', URL, { ...valid, externalId: `x-${i}` }), context);
      assert.equal(res.status, 202);
      const { ticketId } = res.jsonBody as { ticketId: string };
      assert.ok(workflow.started.has(ticketId));
      assert.equal(workflow.inputs.get(ticketId)?.acknowledgedAt, undefined);
    }
    // Refused, then no answer in time; after two misses the third ticket does not try at all.
    assert.equal(calls, 2);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] ?? '', /left to its workflow: the mail service refused it/);
    assert.match(warnings[1] ?? '', /no answer in 50 ms/);
    assert.ok(
      warnings.every((w) => !w.includes('@')),
      'no address in the log',
    );
  });

  it('an unknown clientId: 400 naming it, nothing stored, no workflow (so no mail)', async () => {
    const { tickets, workflow, call } = setup();
    const res = await call({ ...valid, clientId: 'ghost-dental' });
    assert.equal(res.status, 400);
    assert.match((res.jsonBody as { error: string }).error, /clientId: no client "ghost-dental"/);
    assert.equal(tickets.tickets.size, 0);
    assert.equal(workflow.started.size, 0);
  });

  it('returns the same ticket for the same (clientId, externalId)', async () => {
    const { tickets, call } = setup();
    const first = await call({ ...valid, externalId: 'cw-991' });
    const second = await call({ ...valid, externalId: 'cw-991' });
    assert.deepEqual(second.jsonBody, first.jsonBody);
    assert.equal(tickets.tickets.size, 1);
  });

  const bad: [string, unknown, number, RegExp][] = [
    ['malformed JSON', '{"clientId": "demo",', 400, /not valid JSON/],
    ['an empty body', '', 400, /empty/],
    ['a missing field', { ...valid, subject: undefined }, 400, /^subject: is required/],
    ['a wrong type', { ...valid, requester: { email: 7 } }, 400, /^requester\.email: must be a string$/],
    [
      'a script tag in the subject',
      { ...valid, subject: 'hi <script>alert(1)</script>' },
      400,
      /^subject: must be plain text/,
    ],
    ['an oversized body', { ...valid, body: 'x'.repeat(MAX_TICKET_REQUEST_BYTES) }, 413, /larger than/],
  ];
  for (const [name, body, status, error] of bad) {
    it(`answers ${status} to ${name} and stores nothing`, async () => {
      const { tickets, workflow, call } = setup();
      const res = await call(body);
      assert.equal(res.status, status);
      assert.match((res.jsonBody as { error: string }).error, error);
      assert.equal(tickets.tickets.size, 0);
      assert.equal(workflow.started.size, 0);
    });
  }

  it('refuses a declared oversized body before reading it', async () => {
    const { call } = setup();
    const res = await call(valid, { 'content-length': String(MAX_TICKET_REQUEST_BYTES + 1) });
    assert.equal(res.status, 413);
  });
});
