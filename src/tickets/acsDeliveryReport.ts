import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';

import { logSafe } from '../http/httpHelpers';
import type { DeliveryLedger } from '../ports/emailSender';
import type { Notifier } from '../ports/notifier';
import type { TicketStore } from '../ports/ticketStore';

export interface DeliveryReportDeps {
  ledger?: DeliveryLedger;
  tickets: TicketStore;
  notifier: Notifier;
  now: () => Date;
}

const EMAIL_DELIVERY_REPORT = 'Microsoft.Communication.EmailDeliveryReportReceived';
/** ACS's statuses that mean the mail reached the mailbox (Expanded: sent on to a distribution list). */
const DELIVERED = new Set(['Delivered', 'Expanded']);

const report = z.object({
  eventType: z.literal(EMAIL_DELIVERY_REPORT),
  data: z.object({
    recipient: z.string(),
    messageId: z.string(),
    status: z.string(),
    deliveryStatusDetails: z.object({ statusMessage: z.string().optional() }).optional(),
  }),
});

/**
 * ACS reports each mail's fate through Event Grid (EmailDeliveryReportReceived, named by the send's
 * operation id). A mail to a requester that bounced, was quarantined or suppressed means they
 * never heard from us: the ticket's timeline says so and tier 1 is told to reach them another way.
 */
export function acsDeliveryReportHandler(deps: DeliveryReportDeps) {
  return async function acsDeliveryReport(event: unknown, context: InvocationContext): Promise<void> {
    const parsed = report.safeParse(event);
    if (!parsed.success) return void context.log('delivery report: not an email delivery report; ignored');
    const { messageId, status, recipient, deliveryStatusDetails } = parsed.data.data;
    const key = await deps.ledger?.keyOf(messageId);
    if (!key)
      return void context.log(
        `delivery report for an operation this app did not send (${logSafe(messageId)})`,
      );
    const detail = deliveryStatusDetails?.statusMessage ?? '';
    await deps.ledger?.delivered(key, status, detail);
    if (DELIVERED.has(status)) return;
    // Idempotency keys are `<ticketId>.<step>`.
    const [ticketId = '', ...rest] = key.split('.');
    const step = rest.join('.');
    const ticket = await deps.tickets.get(ticketId);
    if (!ticket) return;
    const at = deps.now().toISOString();
    const note = `The mail "${step}" to the requester was not delivered (${status}${detail ? `: ${detail}` : ''}); reach them another way`;
    await deps.tickets.appendTimeline(ticket, { step: `undelivered-${step}`, at, note });
    await deps.notifier.notify({
      key: `undelivered-${step}`,
      ticketId: ticket.ticketId,
      clientId: ticket.clientId,
      tier: ticket.tier ?? 1,
      kind: 'mail_undelivered',
      message: `${ticket.ticketId}: ${note} (${recipient})`,
      at,
    });
  };
}
