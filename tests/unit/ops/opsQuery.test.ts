import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DEMO_CLIENT } from '../../../src/domain/client';
import { listForOps, parseOpsFilters, UnknownClientError } from '../../../src/ops/opsQuery';
import type { WorkflowDetails } from '../../../src/ports/ticketWorkflow';
import { FakeWorkflowMonitor, InMemoryTicketStore, MemoryClients } from '../../support/fakes';

const parse = (query: string) => parseOpsFilters(new URLSearchParams(query));

describe('parseOpsFilters', () => {
  it('defaults to everything, newest 100; blank form fields mean no filter; a function key is not a filter', () => {
    assert.deepEqual(parse(''), { ok: true, filters: { overdue: false, failed: false, limit: 100 } });
    assert.deepEqual(parse('stage=&client=&code=secret-key'), {
      ok: true,
      filters: { overdue: false, failed: false, limit: 100 },
    });
    assert.deepEqual(parse('stage=escalated&client=demo&overdue=on&failed=1&before=T-1042&limit=20'), {
      ok: true,
      filters: {
        stage: 'escalated',
        client: 'demo',
        overdue: true,
        failed: true,
        before: 'T-1042',
        limit: 20,
      },
    });
    assert.deepEqual(parse('overdue=false&failed=0'), {
      ok: true,
      filters: { overdue: false, failed: false, limit: 100 },
    });
  });

  it('names the bad value, the unknown filter, or the repeated one', () => {
    const error = (q: string) => {
      const r = parse(q);
      assert.equal(r.ok, false, q);
      return r.ok ? '' : r.error;
    };
    assert.match(error('stage=open'), /^stage: must be one of received, classified/);
    assert.match(error('overdue=yes'), /^overdue: must be on, 1, true, 0 or false/);
    assert.match(error('limit=501'), /^limit: must be a whole number from 1 to 500/);
    assert.match(error('limit=2.5'), /^limit:/);
    assert.match(error('before=T-12345678901234'), /^before: must be a ticket id/);
    assert.match(error('client=../etc'), /^client: must be a client id/);
    assert.match(error('sort=asc'), /^unknown filter: sort/);
    assert.match(error('client=demo&client=acme'), /^client: give it once/);
  });
});

function setup() {
  const tickets = new InMemoryTicketStore();
  const clients = new MemoryClients();
  clients.profiles.set('acme', { ...DEMO_CLIENT, clientId: 'acme' });
  const monitor = new FakeWorkflowMonitor();
  const now = new Date('2026-03-02T12:00:00.000Z');
  const deps = { tickets, clients, monitor, now: () => now };
  const file = async (clientId: string, subject: string, at: string) =>
    (
      await tickets.create(
        { clientId, requester: { email: 'a@b.example' }, subject, body: '', channel: 'api' },
        new Date(at),
      )
    ).ticket.ticketId;
  const instance = (ticketId: string, over: Partial<WorkflowDetails> = {}) =>
    monitor.instances.set(ticketId, {
      ticketId,
      runtimeStatus: 'Running',
      createdTime: '2026-03-02T10:00:00.000Z',
      lastUpdatedTime: '2026-03-02T10:00:00.000Z',
      customStatus: {
        stage: 'escalated',
        phase: 'escalated',
        nextDeadline: '2026-03-02T13:00:00.000Z',
        nextDeadlineIs: 'tierLimit',
      },
      output: null,
      history: [],
      ...over,
    });
  return { deps, tickets, monitor, file, instance };
}

describe('listForOps', () => {
  it('lists every client’s newest tickets with their workflow, from one instance query', async () => {
    const { deps, monitor, file, instance } = setup();
    const a = await file('demo', 'one', '2026-03-02T10:00:00.000Z');
    const b = await file('acme', 'two', '2026-03-02T11:00:00.000Z');
    const c = await file('demo', 'three', '2026-03-02T11:30:00.000Z');
    instance(a, {
      customStatus: {
        phase: 'escalated',
        nextDeadline: '2026-03-02T11:59:00.000Z',
        nextDeadlineIs: 'slaBreach',
      },
    });
    instance(b, { runtimeStatus: 'Failed' });
    const list = await listForOps(deps, { overdue: false, failed: false, limit: 100 });
    assert.deepEqual(
      list.rows.map((r) => [r.ticketId, r.workflow?.runtimeStatus, r.overdue]),
      [
        [c, undefined, false],
        [b, 'Failed', false],
        [a, 'Running', true],
      ],
    );
    assert.equal(list.rows[2]?.workflow?.nextDeadlineIs, 'slaBreach');
    assert.deepEqual(list.clients, ['acme', 'demo']);
    assert.equal(monitor.queries.length, 1, 'one Durable query for the whole list');
    assert.deepEqual(monitor.queries[0], { createdFrom: new Date('2026-03-02T09:00:00.000Z') });
  });

  it('pages one client with `before`; says when the list of every client was cut', async () => {
    const { deps, file } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await file('demo', `t${i}`, '2026-03-02T10:00:00.000Z'));
    await file('acme', 'acme', '2026-03-02T10:00:00.000Z');
    const first = await listForOps(deps, { client: 'demo', overdue: false, failed: false, limit: 2 });
    assert.deepEqual(
      first.rows.map((r) => r.ticketId),
      [ids[2], ids[1]],
    );
    assert.equal(first.next, ids[1]);
    const rest = await listForOps(deps, {
      client: 'demo',
      before: first.next,
      overdue: false,
      failed: false,
      limit: 2,
    });
    assert.deepEqual(
      rest.rows.map((r) => r.ticketId),
      [ids[0]],
    );
    const all = await listForOps(deps, { overdue: false, failed: false, limit: 2 });
    assert.equal(all.truncated, true);
    assert.equal(all.next, undefined, 'no paging across clients');
    await assert.rejects(
      listForOps(deps, { client: 'initech', overdue: false, failed: false, limit: 2 }),
      UnknownClientError,
    );
  });

  it('failed: the failed instances Durable reports, with a row for a workflow whose ticket is not stored', async () => {
    const { deps, monitor, file, instance } = setup();
    const a = await file('demo', 'fine', '2026-03-02T10:00:00.000Z');
    const b = await file('acme', 'broken', '2026-03-02T10:00:00.000Z');
    instance(a);
    instance(b, { runtimeStatus: 'Failed' });
    instance('T-999999', { runtimeStatus: 'Failed' });
    const list = await listForOps(deps, { failed: true, overdue: false, limit: 100 });
    assert.deepEqual(
      list.rows.map((r) => [r.ticketId, r.ticket?.subject]),
      [
        ['T-999999', undefined],
        [b, 'broken'],
      ],
    );
    assert.deepEqual(monitor.queries.at(-1), { runtimeStatus: ['Failed'] });
    const acme = await listForOps(deps, { failed: true, overdue: false, client: 'acme', limit: 100 });
    assert.deepEqual(
      acme.rows.map((r) => r.ticketId),
      [b],
    );
  });

  it('overdue: live instances whose next deadline passed; stage narrows it', async () => {
    const { deps, tickets, monitor, file, instance } = setup();
    const late = await file('demo', 'late', '2026-03-02T10:00:00.000Z');
    const onTime = await file('demo', 'on time', '2026-03-02T10:00:00.000Z');
    const suspended = await file('demo', 'suspended', '2026-03-02T10:00:00.000Z');
    instance(late, {
      customStatus: { nextDeadline: '2026-03-02T11:00:00.000Z', nextDeadlineIs: 'tierLimit' },
    });
    instance(onTime);
    instance(suspended, {
      runtimeStatus: 'Suspended',
      customStatus: { nextDeadline: '2026-03-02T11:30:00.000Z' },
    });
    const list = await listForOps(deps, { overdue: true, failed: false, limit: 100 });
    assert.deepEqual(
      list.rows.map((r) => [r.ticketId, r.overdue]),
      [
        [suspended, true],
        [late, true],
      ],
    );
    assert.deepEqual(monitor.queries.at(-1), { runtimeStatus: ['Pending', 'Running', 'Suspended'] });
    await tickets.update(late, () => ({ stage: 'escalated' }), new Date());
    const escalated = await listForOps(deps, {
      overdue: true,
      failed: false,
      stage: 'escalated',
      limit: 100,
    });
    assert.deepEqual(
      escalated.rows.map((r) => r.ticketId),
      [late],
    );
  });
});
