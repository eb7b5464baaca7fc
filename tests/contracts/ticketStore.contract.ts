import assert from 'node:assert/strict';
import { it } from 'node:test';

import type { NewTicket } from '../../src/domain/ticket';
import { TicketNotFoundError, type TicketStore } from '../../src/ports/ticketStore';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const ticket = (over: Partial<NewTicket> = {}): NewTicket => ({
  clientId: 'acme',
  requester: { name: 'Sam Lee', email: 'sam@acme.example' },
  subject: 'Printer offline',
  body: 'The reception printer says offline.',
  channel: 'api',
  ...over,
});

/** What every TicketStore does, the Table adapter being the specification. `make` gives an empty one. */
export function ticketStoreContract(make: () => Promise<TicketStore>): void {
  it('creates tickets with reference numbers that count up, and reads them back', async () => {
    const store = await make();
    const a = await store.create(ticket(), NOW);
    const b = await store.create(ticket({ subject: 'VPN drops' }), NOW);
    assert.equal(a.created, true);
    assert.match(a.ticket.ticketId, /^T-\d+$/);
    assert.equal(Number(b.ticket.ticketId.slice(2)), Number(a.ticket.ticketId.slice(2)) + 1);
    assert.deepEqual(await store.get(a.ticket.ticketId), a.ticket);
    assert.equal(await store.get('T-999999'), undefined);
  });

  it('the same (client, external id) twice is the same ticket; another client has its own', async () => {
    const store = await make();
    const first = await store.create(ticket({ externalId: 'api:42' }), NOW);
    const again = await store.create(ticket({ externalId: 'api:42', subject: 'changed' }), later(1));
    assert.equal(again.created, false);
    assert.deepEqual(again.ticket, first.ticket);
    const other = await store.create(ticket({ clientId: 'globex', externalId: 'api:42' }), NOW);
    assert.equal(other.created, true);
    assert.notEqual(other.ticket.ticketId, first.ticket.ticketId);
  });

  it('update applies the change and stamps updatedAt, but never moves the ticket or changes its client', async () => {
    const store = await make();
    const { ticket: t } = await store.create(ticket(), NOW);
    const updated = await store.update(
      t.ticketId,
      () => ({ stage: 'classified', ticketId: 'T-1', clientId: 'other' }),
      later(5),
    );
    assert.equal(updated.stage, 'classified');
    assert.equal(updated.ticketId, t.ticketId);
    assert.equal(updated.clientId, 'acme');
    assert.equal(updated.updatedAt, later(5).toISOString());
    assert.deepEqual(await store.get(t.ticketId), updated);
    await assert.rejects(
      store.update('T-999999', () => ({}), NOW),
      TicketNotFoundError,
    );
  });

  it("update with a note adds the step's timeline entry with the change; a retried step changes the ticket and keeps the entry", async () => {
    const store = await make();
    const { ticket: t } = await store.create(ticket(), NOW);
    const entry = {
      step: 'classified',
      at: later(1).toISOString(),
      stage: 'classified' as const,
      note: 'first',
    };
    await store.update(t.ticketId, () => ({ stage: 'classified' }), later(1), entry);
    const again = await store.update(t.ticketId, () => ({ priority: 'P2' }), later(2), {
      ...entry,
      note: 'again',
    });
    assert.deepEqual([again.stage, again.priority], ['classified', 'P2']);
    assert.deepEqual(await store.get(t.ticketId), again);
    assert.deepEqual(
      (await store.timeline(t)).map((e) => [e.step, e.note]),
      [['classified', 'first']],
    );
    await assert.rejects(
      store.update('T-999999', () => ({}), NOW, entry),
      TicketNotFoundError,
    );
  });

  it('timeline: once per step, in time order whatever order the steps were written in', async () => {
    const store = await make();
    const { ticket: t } = await store.create(ticket(), NOW);
    assert.equal(
      await store.appendTimeline(t, { step: 'ack', at: later(1).toISOString(), note: 'acknowledged' }),
      true,
    );
    assert.equal(
      await store.appendTimeline(t, { step: 'received', at: NOW.toISOString(), note: 'received' }),
      true,
    );
    assert.equal(
      await store.appendTimeline(t, { step: 'ack', at: later(2).toISOString(), note: 'again' }),
      false,
    );
    assert.deepEqual(
      (await store.timeline(t)).map((e) => e.note),
      ['received', 'acknowledged'],
    );
    const { ticket: other } = await store.create(ticket(), NOW);
    assert.deepEqual(await store.timeline(other), []);
  });

  it('conversation: once per key, in time order', async () => {
    const store = await make();
    const { ticket: t } = await store.create(ticket(), NOW);
    assert.equal(
      await store.appendConversation(t, 'reply-2', {
        at: later(10).toISOString(),
        from: 'sam',
        text: 'still broken',
      }),
      true,
    );
    assert.equal(
      await store.appendConversation(t, 'reply-1', {
        at: later(5).toISOString(),
        from: 'sam',
        text: 'thanks',
      }),
      true,
    );
    assert.equal(
      await store.appendConversation(t, 'reply-1', { at: later(6).toISOString(), from: 'sam', text: 'dup' }),
      false,
    );
    assert.deepEqual(
      (await store.conversation(t)).map((e) => e.text),
      ['thanks', 'still broken'],
    );
  });

  it("list: a client's tickets newest first, a page at a time, and by stage within a scan limit", async () => {
    const store = await make();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await store.create(ticket({ subject: `s${i}` }), NOW)).ticket.ticketId);
    await store.create(ticket({ clientId: 'globex' }), NOW);
    await store.update(ids[1] ?? '', () => ({ stage: 'escalated' }), NOW);
    await store.update(ids[3] ?? '', () => ({ stage: 'escalated' }), NOW);

    const first = await store.list({ clientId: 'acme', limit: 2 });
    assert.deepEqual(
      first.tickets.map((t) => t.ticketId),
      [ids[4], ids[3]],
    );
    assert.equal(first.next, ids[3]);
    const rest = await store.list({ clientId: 'acme', limit: 10, before: first.next });
    assert.deepEqual(
      rest.tickets.map((t) => t.ticketId),
      [ids[2], ids[1], ids[0]],
    );
    assert.equal(rest.next, undefined);

    const escalated = await store.list({ clientId: 'acme', limit: 10, stage: 'escalated' });
    assert.deepEqual(
      escalated.tickets.map((t) => t.ticketId),
      [ids[3], ids[1]],
    );
    const bounded = await store.list({ clientId: 'acme', limit: 10, stage: 'escalated', scanLimit: 2 });
    assert.deepEqual(
      bounded.tickets.map((t) => t.ticketId),
      [ids[3]],
    );
    assert.equal(bounded.next, ids[3], 'the scan stopped there: the next page starts after it');
  });

  it('summaries: in the order asked, unknown ids left out, long subjects cut to 500 characters', async () => {
    const store = await make();
    const a = (await store.create(ticket({ subject: 'x'.repeat(600) }), NOW)).ticket;
    const b = (await store.create(ticket(), NOW)).ticket;
    const summaries = await store.summaries([b.ticketId, 'T-999999', a.ticketId]);
    assert.deepEqual(
      summaries.map((s) => s.ticketId),
      [b.ticketId, a.ticketId],
    );
    assert.equal(summaries[1]?.subject.length, 500);
    assert.equal(summaries[0]?.stage, 'received');
  });
}
