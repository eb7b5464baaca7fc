import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { TableTicketStore } from '../../../../src/adapters/tables/tableTicketStore';
import type { NewTicket } from '../../../../src/domain/ticket';
import { countRows, freshTable } from '../../../support/storage';

const input = (over: Partial<NewTicket> = {}): NewTicket => ({
  clientId: 'acme',
  requester: { name: 'Ana', email: 'ana@acme.example' },
  subject: 'Cannot print',
  body: 'Printer says offline\n"quoted" and ünïcödé',
  channel: 'api',
  ...over,
});
const now = new Date('2026-03-02T10:00:00Z');

async function store() {
  const table = await freshTable('tickets');
  return { table, tickets: new TableTicketStore(table) };
}

describe('TableTicketStore on Azurite', () => {
  it('creates tickets with increasing reference numbers and reads them back intact', async () => {
    const { tickets } = await store();
    const a = await tickets.create(input(), now);
    const b = await tickets.create(input({ subject: 'VPN' }), now);
    assert.deepEqual([a.ticket.ticketId, b.ticket.ticketId], ['T-1001', 'T-1002']);
    assert.deepEqual(await tickets.get('T-1001'), a.ticket);
    assert.equal((await tickets.get('T-1001'))?.body, input().body);
    assert.equal(await tickets.get('T-9999'), undefined);
  });

  it('is idempotent on (clientId, externalId), also when deliveries race', async () => {
    const { tickets, table } = await store();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => tickets.create(input({ externalId: 'cw-7' }), now)),
    );
    const ids = new Set(results.map((r) => r.ticket.ticketId));
    assert.equal(ids.size, 1);
    assert.equal(results.filter((r) => r.created).length, 1);
    assert.equal(await countRows(table, "PartitionKey eq 'acme' and RowKey ge 't|' and RowKey lt 't|~'"), 1);
    // A different client may use the same external id.
    const other = await tickets.create(input({ clientId: 'globex', externalId: 'cw-7' }), now);
    assert.ok(other.created);
  });

  it('gives every ticket its own number under load, also from two processes at once', async () => {
    const { table, tickets } = await store();
    const otherProcess = new TableTicketStore(table);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        (i % 2 ? tickets : otherProcess).create(input({ subject: `load ${i}` }), now),
      ),
    );
    const numbers = results.map((r) => Number(r.ticket.ticketId.slice(2))).sort((a, b) => a - b);
    assert.deepEqual(
      numbers,
      Array.from({ length: 60 }, (_, i) => 1001 + i),
    );
  });

  it('tickets created at once share one reservation of their numbers: not a counter round trip each', async () => {
    const { table, tickets } = await store();
    await tickets.create(input(), now); // the counter exists
    let counterRequests = 0;
    table.pipeline.addPolicy({
      name: 'countCounterRequests',
      sendRequest: (request, next) => {
        if (decodeURIComponent(request.url).includes(`RowKey='ticket'`)) counterRequests++;
        return next(request);
      },
    });
    const results = await Promise.all(
      Array.from({ length: 32 }, (_, i) => tickets.create(input({ subject: `storm ${i}` }), now)),
    );
    assert.deepEqual(
      results.map((r) => r.ticket.ticketId),
      Array.from({ length: 32 }, (_, i) => `T-${1002 + i}`),
      'in the order they asked, none skipped',
    );
    // The first takes the counter alone, the 31 that waited for it share the next reservation.
    assert.ok(counterRequests <= 4, `${counterRequests} counter requests for 32 tickets`);
  });

  it('loads a ticket with one point read, and updates what it loaded without reading it again', async () => {
    const { table, tickets } = await store();
    const { ticket } = await tickets.create(input(), now);
    const reads: string[] = [];
    table.pipeline.addPolicy({
      name: 'countReads',
      sendRequest: (request, next) => {
        if (request.method === 'GET') reads.push(decodeURIComponent(request.url).replace(/^.*\//, ''));
        return next(request);
      },
    });
    // Created here: the first update writes with the ETag the creation returned.
    await tickets.update(ticket.ticketId, () => ({ priority: 'P3' }), now);
    assert.equal(reads.length, 0, reads.join(', '));
    assert.equal((await tickets.get(ticket.ticketId))?.subject, 'Cannot print');
    await tickets.update(ticket.ticketId, () => ({ stage: 'classified' }), now);
    await tickets.update(ticket.ticketId, (t) => ({ reasons: [t.stage] }), now);
    assert.equal(reads.length, 1, reads.join(', '));
    assert.deepEqual(
      { ...(await tickets.get(ticket.ticketId)), updatedAt: undefined },
      { ...ticket, priority: 'P3', stage: 'classified', reasons: ['classified'], updatedAt: undefined },
    );
    // Another process (a new store) reads the index once, then knows.
    const other = new TableTicketStore(table);
    reads.length = 0;
    await other.get(ticket.ticketId);
    await other.get(ticket.ticketId);
    assert.equal(reads.length, 3, reads.join(', '));
  });

  it('a version it remembers that another process has since changed is read again, not written over', async () => {
    const { table, tickets } = await store();
    const { ticket } = await tickets.create(input(), now);
    await tickets.get(ticket.ticketId); // this process now remembers that version
    const otherProcess = new TableTicketStore(table);
    await otherProcess.update(ticket.ticketId, () => ({ reasons: ['from the other process'] }), now);
    const next = await tickets.update(
      ticket.ticketId,
      (t) => ({ reasons: [...(t.reasons ?? []), 'from this one'] }),
      now,
    );
    assert.deepEqual(next.reasons, ['from the other process', 'from this one']);
    assert.deepEqual((await otherProcess.get(ticket.ticketId))?.reasons, next.reasons);
    // A remembered ticket that is gone is not found, as before.
    await table.deleteEntity('acme', `t|${ticket.ticketId}`);
    await assert.rejects(
      tickets.update(ticket.ticketId, () => ({ stage: 'closed' }), now),
      /T-1001/,
    );
  });

  it('keeps concurrent updates with ETags (no lost update)', async () => {
    const { tickets } = await store();
    const { ticket } = await tickets.create(input(), now);
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((r) =>
        tickets.update(ticket.ticketId, (t) => ({ reasons: [...(t.reasons ?? []), r] }), now),
      ),
    );
    const stored = await tickets.get(ticket.ticketId);
    assert.deepEqual([...(stored?.reasons ?? [])].sort(), ['a', 'b', 'c', 'd']);
  });

  it('records each timeline step once, in time order', async () => {
    const { tickets } = await store();
    const { ticket } = await tickets.create(input(), now);
    assert.equal(
      await tickets.appendTimeline(ticket, { step: 'classified', at: '2026-03-02T10:00:02Z', note: 'b' }),
      true,
    );
    assert.equal(
      await tickets.appendTimeline(ticket, { step: 'acknowledged', at: '2026-03-02T10:00:01Z', note: 'a' }),
      true,
    );
    assert.equal(
      await tickets.appendTimeline(ticket, {
        step: 'acknowledged',
        at: '2026-03-02T10:00:09Z',
        note: 'again',
      }),
      false,
    );
    assert.deepEqual(
      (await tickets.timeline(ticket)).map((e) => e.note),
      ['a', 'b'],
    );
  });

  it('rejects updates to a ticket that does not exist', async () => {
    const { tickets } = await store();
    await assert.rejects(
      tickets.update('T-5555', () => ({}), now),
      /T-5555 not found/,
    );
  });
});

describe('TableTicketStore keys and sizes', () => {
  it('keys external ids that hold characters row keys refuse (Gmail and GitHub Message-IDs) by a hash, idempotently', async () => {
    const { tickets } = await store();
    const externalId = 'mail:<CAF=x+y/z#1?a\\b@mail.gmail.com>';
    const a = await tickets.create(input({ externalId }), now);
    const b = await tickets.create(input({ externalId }), now);
    assert.equal(a.created, true);
    assert.equal(b.created, false);
    assert.equal(b.ticket.ticketId, a.ticket.ticketId);
  });

  it('stores a ticket whose JSON is far past one property (a 20,000-character body and a large package)', async () => {
    const { tickets } = await store();
    const body = '印刷できません。'.repeat(2500);
    const { ticket } = await tickets.create(input({ body }), now);
    const note = 'x'.repeat(30_000);
    const updated = await tickets.update(ticket.ticketId, () => ({ reasons: [note, note, note] }), now);
    assert.deepEqual(await tickets.get(ticket.ticketId), updated);
  });
});

describe('TableTicketStore lists', () => {
  it('lists a client’s tickets newest first, a page at a time, with what a list shows', async () => {
    const { tickets } = await store();
    for (let i = 0; i < 5; i++) await tickets.create(input({ subject: `acme ${i}` }), now);
    await tickets.create(input({ clientId: 'globex', subject: 'globex 0' }), now);
    await tickets.update(
      'T-1003',
      () => ({ stage: 'escalated', category: 'engineering', priority: 'P2', tier: 3 }),
      now,
    );

    const first = await tickets.list({ clientId: 'acme', limit: 2 });
    assert.deepEqual(
      first.tickets.map((t) => t.ticketId),
      ['T-1005', 'T-1004'],
    );
    assert.equal(first.next, 'T-1004');
    const second = await tickets.list({ clientId: 'acme', limit: 2, before: first.next });
    assert.deepEqual(
      second.tickets.map((t) => t.ticketId),
      ['T-1003', 'T-1002'],
    );
    assert.deepEqual(second.tickets[0], {
      ticketId: 'T-1003',
      clientId: 'acme',
      subject: 'acme 2',
      stage: 'escalated',
      category: 'engineering',
      priority: 'P2',
      tier: 3,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
    const last = await tickets.list({ clientId: 'acme', limit: 2, before: second.next });
    assert.deepEqual(
      last.tickets.map((t) => t.ticketId),
      ['T-1001'],
    );
    assert.equal(last.next, undefined);
    assert.deepEqual(
      (await tickets.list({ clientId: 'globex', limit: 10 })).tickets.map((t) => t.subject),
      ['globex 0'],
    );
    assert.deepEqual(await tickets.list({ clientId: 'initech', limit: 10 }), { tickets: [] });
  });

  it('filters by stage within a bounded look through the newest tickets', async () => {
    const { tickets } = await store();
    for (let i = 0; i < 6; i++) await tickets.create(input({ subject: `t${i}` }), now);
    for (const id of ['T-1001', 'T-1002', 'T-1005'])
      await tickets.update(id, () => ({ stage: 'escalated' }), now);
    const all = await tickets.list({ clientId: 'acme', limit: 10, stage: 'escalated' });
    assert.deepEqual(
      all.tickets.map((t) => t.ticketId),
      ['T-1005', 'T-1002', 'T-1001'],
    );
    assert.equal(all.next, undefined);
    const bounded = await tickets.list({ clientId: 'acme', limit: 10, stage: 'escalated', scanLimit: 3 });
    assert.deepEqual(
      bounded.tickets.map((t) => t.ticketId),
      ['T-1005'],
    );
    assert.equal(bounded.next, 'T-1004', 'looked through T-1006..T-1004, and says where to go on');
    const rest = await tickets.list({
      clientId: 'acme',
      limit: 10,
      stage: 'escalated',
      before: bounded.next,
    });
    assert.deepEqual(
      rest.tickets.map((t) => t.ticketId),
      ['T-1002', 'T-1001'],
    );
  });

  it('orders T-10000 after T-9999, and reads summaries by id (a row from before the list columns too)', async () => {
    const { table, tickets } = await store();
    await table.createEntity({ partitionKey: '_counter', rowKey: 'ticket', next: 8999 });
    const a = await tickets.create(input({ subject: 'nine' }), now); // T-9999
    const b = await tickets.create(input({ subject: 'ten' }), now); // T-10000
    assert.deepEqual([a.ticket.ticketId, b.ticket.ticketId], ['T-9999', 'T-10000']);
    assert.deepEqual(
      (await tickets.list({ clientId: 'acme', limit: 5 })).tickets.map((t) => t.ticketId),
      ['T-10000', 'T-9999'],
    );
    // A row as written before the list columns existed: only the chunks, stage and createdAt.
    const entity = await table.getEntity<Record<string, unknown>>('acme', 't|T-9999');
    const { subject: _s, updatedAt: _u, etag: _e, timestamp: _t, ...old } = entity;
    await table.upsertEntity(old as { partitionKey: string; rowKey: string }, 'Replace');
    assert.deepEqual(
      (await tickets.summaries(['T-10000', 'T-1', 'T-9999'])).map((t) => [t.ticketId, t.subject]),
      [
        ['T-10000', 'ten'],
        ['T-9999', 'nine'],
      ],
    );
  });
});
