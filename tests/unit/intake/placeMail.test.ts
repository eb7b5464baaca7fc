import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { InboundMail } from '../../../src/domain/mail';
import { placeMail } from '../../../src/intake/placeMail';
import type { MailStore } from '../../../src/ports/mailStore';
import { InMemoryTicketStore, MemoryClients } from '../../support/fakes';

const now = new Date('2026-03-02T10:00:00Z');

function deps() {
  const threads = new Map<string, string>();
  const tickets = new InMemoryTicketStore();
  return {
    tickets,
    clients: new MemoryClients(),
    threads: {
      find: (id: string) => Promise.resolve(threads.get(id.replace(/[<>]/g, '').toLowerCase())),
      remember: (id: string, t: string) =>
        Promise.resolve(void threads.set(id.replace(/[<>]/g, '').toLowerCase(), t)),
    },
    store: {} as MailStore,
    ownAddresses: ['donotreply@autotier.local'],
  };
}

const mail = (over: Partial<InboundMail>): InboundMail => ({
  references: [],
  from: { email: 'kim@demo.example' },
  subject: 'Printer offline',
  text: 'It is offline',
  attachments: [],
  automatic: false,
  ...over,
});

/** An open ticket of kim@demo.example's, for mail to thread onto. */
async function kimsTicket(d: ReturnType<typeof deps>) {
  const { ticket } = await d.tickets.create(
    { clientId: 'demo', requester: { email: 'kim@demo.example' }, subject: 's', body: 'b', channel: 'email' },
    now,
  );
  return ticket;
}

describe('placing a mail', () => {
  it('threads by References when In-Reply-To names nothing known (newest reference first)', async () => {
    const d = deps();
    const ticket = await kimsTicket(d);
    await d.threads.remember('<first@demo.example>', ticket.ticketId);
    const p = await placeMail(
      mail({
        inReplyTo: '<unknown@elsewhere>',
        references: ['<first@demo.example>', '<unknown@elsewhere>'],
        text: 'Still broken\n\nOn Mon, 2 Mar 2026, IT wrote:\n> old',
      }),
      'e1',
      d,
    );
    assert.equal(p.kind, 'reply');
    if (p.kind === 'reply') {
      assert.equal(p.ticket.ticketId, ticket.ticketId);
      assert.equal(p.text, 'Still broken');
    }
  });

  it('threads a subject token only for mail from the requester domain', async () => {
    const d = deps();
    const ticket = await kimsTicket(d);
    const subject = `Re: [#${ticket.ticketId}] Printer offline`;
    assert.equal((await placeMail(mail({ subject }), 'e2', d)).kind, 'reply');
    const outsider = await placeMail(mail({ subject, from: { email: 'x@attacker.example' } }), 'e3', d);
    assert.deepEqual(outsider, { kind: 'review', reason: 'no client has the mail domain attacker.example' });
  });

  it("ignores autotier's own mail and automatic replies; a new mail becomes a ticket keyed by its Message-ID", async () => {
    const d = deps();
    assert.equal(
      (await placeMail(mail({ from: { email: 'donotreply@autotier.local' } }), 'e4', d)).kind,
      'ignored',
    );
    assert.equal((await placeMail(mail({ automatic: true }), 'e5', d)).kind, 'ignored');
    const p = await placeMail(
      mail({ messageId: '<ABC@demo.example>', subject: 'RE: FW: Printer offline' }),
      'e6',
      d,
    );
    assert.equal(p.kind, 'ticket');
    if (p.kind === 'ticket') {
      assert.equal(p.input.externalId, 'mail:abc@demo.example');
      assert.equal(p.input.subject, 'Printer offline');
      assert.equal(p.input.clientId, 'demo');
    }
  });
});
