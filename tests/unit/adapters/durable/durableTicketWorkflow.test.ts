import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';

import { InvocationContext } from '@azure/functions';

import {
  durableClientInput,
  durableTicketWorkflow,
} from '../../../../src/adapters/durable/durableTicketWorkflow';
import { durableClientData } from '../../../../src/local/durable/managementApi';

/** A Durable management API where the instance does not exist yet, and starting it loses a race. */
async function racingHost() {
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
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
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

describe('durableTicketWorkflow', () => {
  it('takes a start that lost the race to a concurrent start (409) as already started, not as a failure', async () => {
    const host = await racingHost();
    try {
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
      context.extraInputs.set(durableClientInput, durableClientData(host.url, 'hub'));
      const result = await durableTicketWorkflow(context).ensureStarted({
        ticketId: 'T-1001',
        clientId: 'demo',
      });
      assert.deepEqual(result, { started: false });
    } finally {
      host.close();
    }
  });
});
