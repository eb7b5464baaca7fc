import { guideFor } from '../../domain/guides';
import * as messages from '../../domain/messages';
import type { Stage, Ticket } from '../../domain/ticket';
import type { ActivityKit, TicketStepInput } from './kit';

export type UpdateKind =
  | 'reminder'
  | 'clarify'
  | 'resolved'
  | 'resolvedByEngineer'
  | 'escalated'
  | 'handedUp'
  | 'plan'
  | 'closedUnconfirmed'
  | 'reopened';

export interface UpdateInput extends TicketStepInput {
  kind: UpdateKind;
  step: string;
  /** Requester-facing text only: a guide's title, a public note, why automation handed over. */
  text?: string;
  expectBy?: string;
  stage?: Stage;
}

/** A status mail to the requester, keyed by step; the timeline notes what they were told. */
export const sendUpdate = (kit: ActivityKit) => {
  const { load, send, note, outcome } = kit;
  return async (input: UpdateInput): Promise<void> => {
    const ticket = await load(input.ticketId);
    const message = await updateMail(kit, ticket, input);
    if (!message) return;
    await send(ticket, input.step, message);
    await note(
      ticket,
      `mail-${input.step}`,
      input.at,
      undefined,
      `Told the requester: ${message.subject.replace(/^\[#[^\]]+\]\s*/, '')}`,
    );
    // A person's public reply or their fix answers the request; "an engineer is on it" does not.
    if (input.kind === 'resolvedByEngineer' || (input.kind === 'plan' && input.text))
      await outcome(ticket, `responded-${input.step}`, input.at, {
        kind: 'responded',
        by: 'person',
        via: input.kind === 'plan' ? 'plan' : 'resolution',
      });
  };
};

/** The mail for one kind of update; undefined when there is nothing to remind of. */
async function updateMail(
  { client, confirmLinks, ratingLinks }: ActivityKit,
  ticket: Ticket,
  input: UpdateInput,
): Promise<messages.MailMessage | undefined> {
  const profile = await client(ticket.clientId);
  const links = () => confirmLinks(ticket, `${ticket.ticketId}.${input.step}`, input.at);
  const guide = () => ticket.guide ?? guideFor(ticket.category ?? 'engineering', profile);
  switch (input.kind) {
    case 'reminder': {
      const sent = guide();
      return sent && messages.reminderMail(ticket, sent, links());
    }
    case 'clarify': {
      const sent = guide();
      return input.stage === 'awaiting_confirmation' && sent
        ? messages.clarifyMail(ticket, sent, links())
        : messages.clarifyAfterCloseMail(ticket);
    }
    case 'resolved':
      return messages.resolvedMail(
        ticket,
        input.text ?? ticket.attempted ?? 'the steps we sent',
        ratingLinks(ticket, input.step, input.at),
      );
    case 'resolvedByEngineer':
      return messages.resolvedByEngineerMail(ticket, input.text, ratingLinks(ticket, input.step, input.at));
    case 'escalated':
      return messages.escalatedMail(ticket, input.expectBy, profile.businessHours.timeZone, input.text);
    case 'handedUp':
      return messages.handedUpMail(ticket);
    case 'plan':
      return messages.planMail(ticket, input.text);
    case 'closedUnconfirmed':
      return messages.closedUnconfirmedMail(ticket, ratingLinks(ticket, input.step, input.at));
    case 'reopened':
      return messages.reopenedMail(ticket);
  }
}
