import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';

import { InvocationContext } from '@azure/functions';

import {
  durableClientInput,
  durableTicketWorkflow,
} from '../../../../src/adapters/durable/durableTicketWorkflow';
import { TICKET_WORKFLOW_VERSION } from '../../../../src/domain/lifecycle';
import { durableClientData } from '../../../../src/local/durable/managementApi';

/** A Durable management API where the instance does not exist yet, and starting it loses a race. */
async function racingHost(seen: string[] = [], bodies: string[] = []) {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => answer(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  const answer = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => {
    const url = req.url ?? '';
    seen.push(`${req.method} ${url.replace(/\?.*/, '')}`);
    if (req.method === 'POST') bodies.push(body);
    if (req.method === 'GET' && url.includes('/instances/')) {
      res.writeHead(404);
      return res.end();
    }
    if (req.method === 'POST' && url.includes('/orchestrators/')) {
      res.writeHead(409, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: 'instance ticket-T-1001 already exists and is Pending' }));
    }
    res.writeHead(500);
    res.end();
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const contextFor = (url: string) => {
  const context = new InvocationContext({
    functionName: 'createTicket',
    invocationId: 'x',
    logHandler: () => {},
    options: {
      trigger: { type: 'httpTrigger', name: 'req' },
      extraInputs: [durableClientInput],
      extraOutputs: [],
    },
  });
  context.extraInputs.set(durableClientInput, durableClientData(url, 'hub'));
  return context;
};

describe('durableTicketWorkflow', () => {
  it('starts the workflow of a ticket created just now without looking for its instance first', async () => {
    const seen: string[] = [];
    const host = await racingHost(seen);
    try {
      const workflow = durableTicketWorkflow(contextFor(host.url));
      await workflow.ensureStarted({ ticketId: 'T-1001', clientId: 'demo' }, { newTicket: true });
      assert.deepEqual(
        seen.map((r) => r.split(' ')[0]),
        ['POST'],
      );
      // A ticket seen before (a repeat delivery): its instance may have finished, so look first.
      seen.length = 0;
      await workflow.ensureStarted({ ticketId: 'T-1001', clientId: 'demo' });
      assert.deepEqual(
        seen.map((r) => r.split(' ')[0]),
        ['GET', 'POST'],
      );
    } finally {
      host.close();
    }
  });

  it('stamps the current workflow version on the input, so the instance replays the steps it began with', async () => {
    const bodies: string[] = [];
    const host = await racingHost([], bodies);
    try {
      const input = { ticketId: 'T-1001', clientId: 'demo', acknowledgedAt: '2026-03-02T10:00:00.000Z' };
      await durableTicketWorkflow(contextFor(host.url)).ensureStarted(input, { newTicket: true });
      assert.deepEqual(JSON.parse(bodies[0] ?? 'null'), { ...input, version: TICKET_WORKFLOW_VERSION });
      assert.equal(TICKET_WORKFLOW_VERSION, 3);
    } finally {
      host.close();
    }
  });

  it('takes a start that lost the race to a concurrent start (409) as already started, not as a failure', async () => {
    const host = await racingHost();
    try {
      const result = await durableTicketWorkflow(contextFor(host.url)).ensureStarted({
        ticketId: 'T-1001',
        clientId: 'demo',
      });
      assert.deepEqual(result, { started: false });
    } finally {
      host.close();
    }
  });
});
