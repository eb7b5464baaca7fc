import type { Notification } from '../../ports/notifier';
import type { ActivityKit, TicketStepInput } from './kit';

/** Alerts a tier (or the on-call), keyed so a retry does not alert twice. */
export const notifyTier =
  ({ deps, load, note }: ActivityKit) =>
  async (input: TicketStepInput & Omit<Notification, 'ticketId' | 'clientId' | 'at'>): Promise<void> => {
    const ticket = await load(input.ticketId);
    await deps.notifier.notify({
      key: input.key,
      ticketId: ticket.ticketId,
      clientId: ticket.clientId,
      tier: input.tier,
      kind: input.kind,
      message: input.message,
      at: input.at,
      ...(input.audience ? { audience: input.audience } : {}),
    });
    await note(
      ticket,
      `notify-${input.key}`,
      input.at,
      undefined,
      `Alerted tier ${input.tier}: ${input.message}`,
    );
  };
