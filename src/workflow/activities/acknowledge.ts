import { p1SettingsFor } from '../../domain/aroundTheClock';
import type { ClientProfile } from '../../domain/client';
import { lifecycleFor } from '../../domain/lifecycle';
import * as messages from '../../domain/messages';
import { stageAfter } from '../../domain/stage';
import type { Ticket } from '../../domain/ticket';
import type { PsaConnector } from '../../ports/psaConnector';
import type { ActivityKit, TicketContext, TicketStepInput } from './kit';

/**
 * The PSA is the MSP's system of record: a ticket that came by mail, the portal or the API is
 * opened there at once. A PSA that is down must not hold up the ticket: the failure is noted and
 * the first write-back (a reply, the escalation) opens it. The query of the failed call (a contact
 * search names the requester's address) stays out of the timeline.
 */
async function openInPsa(
  psa: PsaConnector,
  ticketId: string,
  noteFailure: (text: string) => Promise<unknown>,
) {
  try {
    await psa.open?.(ticketId);
  } catch (err) {
    await noteFailure(
      `Could not open the ticket in the PSA yet (${(err as Error).message.replace(/\?\S*/, '').slice(0, 200)}); the next write-back tries again`,
    );
  }
}

type AcknowledgeInput = TicketStepInput & { acknowledgedAt?: string };

/** The first response. Returns what the orchestration needs to know about the client. */
export const acknowledge = (kit: ActivityKit) => {
  const acknowledgeLoaded = acknowledgeTicketAndProfile(kit);
  return async (input: AcknowledgeInput): Promise<{ sent: boolean; context: TicketContext }> => {
    const { ticket, profile } = await kit.loadWithProfile(input.ticketId);
    return acknowledgeLoaded(ticket, profile, input);
  };
};

/** `acknowledge` of a ticket and its client's profile already loaded (as `triage` has them). */
export const acknowledgeTicketAndProfile =
  ({ deps, send, note, event }: ActivityKit) =>
  async (
    ticket: Ticket,
    profile: ClientProfile,
    input: AcknowledgeInput,
  ): Promise<{ sent: boolean; context: TicketContext }> => {
    // Sent already (and accepted) by the request that filed it, or sent now, once per ticket.
    const result = input.acknowledgedAt
      ? { duplicate: true }
      : await send(ticket, 'ack', messages.acknowledgementMail(ticket));
    const at = input.acknowledgedAt ?? input.at;
    // The records of it do not depend on each other: written at once, each keyed by step.
    await Promise.all([
      note(
        ticket,
        'acknowledged',
        at,
        stageAfter(ticket.stage, 'acknowledged'),
        `Acknowledged to the requester with reference ${ticket.ticketId}`,
      ),
      openInPsa(deps.psa, ticket.ticketId, (text) =>
        note(ticket, 'psa-open-failed', input.at, undefined, text),
      ),
      deps.outcomes.record(
        event(ticket, 'received', ticket.createdAt, { kind: 'received', channel: ticket.channel }),
        event(ticket, 'acknowledged', at, { kind: 'acknowledged' }),
      ),
    ]);
    return {
      sent: !result.duplicate,
      context: {
        clientId: profile.clientId,
        slaTier: profile.slaTier,
        businessHours: profile.businessHours,
        lifecycle: lifecycleFor(profile.lifecycle),
        p1: p1SettingsFor(profile.p1),
        autoThreshold: profile.autoThreshold,
        ...(deps.assistant ? { assistant: true as const } : {}),
      },
    };
  };
