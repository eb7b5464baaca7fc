import type { InvocationContext } from '@azure/functions';

import type { Channel, Requester, Ticket } from '../domain/ticket';
import type { TicketStore } from '../ports/ticketStore';
import type { TicketWorkflow } from '../ports/ticketWorkflow';
import { acknowledgeAndStart, type AcknowledgeNow } from './acknowledgeAtOnce';

export interface FollowUpDeps {
  tickets: TicketStore;
  workflow: (context: InvocationContext) => TicketWorkflow;
  now: () => Date;
  /** Acknowledges the new ticket before its workflow starts (`acknowledgeAtOnce`). */
  acknowledge?: AcknowledgeNow;
}

export interface FollowUpReply {
  requester: Requester;
  text: string;
  channel: Channel;
  /** Makes filing idempotent: the same reply files the same follow-up however often it arrives. */
  externalId: string;
  /** What the new ticket needs before its workflow starts (the portal's status link, so the acknowledgement carries it). */
  prepare?: (ticket: Ticket) => Partial<Ticket>;
}

/**
 * A reply to a ticket whose workflow has finished cannot reopen it: it becomes a new ticket that
 * points back (`followUpOf`), and the finished ticket lists it (`followUps`), so the engineer
 * and the requester see both ends.
 */
export async function fileFollowUp(
  deps: FollowUpDeps,
  original: Ticket,
  reply: FollowUpReply,
  context: InvocationContext,
): Promise<Ticket> {
  const { ticket, created } = await deps.tickets.create(
    {
      clientId: original.clientId,
      requester: reply.requester,
      subject: original.subject,
      body: `Follow-up to ${original.ticketId}: ${reply.text}`.slice(0, 20_000),
      externalId: reply.externalId,
      channel: reply.channel,
      followUpOf: original.ticketId,
    },
    deps.now(),
  );
  const prepared = reply.prepare?.(ticket);
  const current =
    prepared && Object.keys(prepared).length > 0
      ? await deps.tickets.update(ticket.ticketId, () => prepared, deps.now())
      : ticket;
  await acknowledgeAndStart(deps.acknowledge, deps.workflow(context), current, created, (m) =>
    context.warn(m),
  );
  await deps.tickets.update(
    original.ticketId,
    (t) => ({ followUps: [...new Set([...(t.followUps ?? []), ticket.ticketId])] }),
    deps.now(),
  );
  await deps.tickets.appendTimeline(original, {
    step: `follow-up-${ticket.ticketId}`,
    at: deps.now().toISOString(),
    note: `A reply after this ticket finished became ${ticket.ticketId}`,
  });
  return ticket;
}
