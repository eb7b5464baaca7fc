import { z } from 'zod';

import { describeIssue, newTicketRequest, type ParseResult } from './intake';
import type { PsaVendor } from './psa';
import type { NewTicket } from './ticket';

/** Our generic webhook: a ticket, plus the sender's event id (which also makes it idempotent). */
const genericEvent = newTicketRequest.extend({
  eventId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1-100 letters, digits or . _ : -'),
});

/** What waits on the intake queue: one accepted delivery, not yet a ticket. */
export interface IntakeMessage {
  source: 'generic' | PsaVendor | 'mail' | 'graph';
  eventId: string;
  /** The delivery as received (webhooks), or */
  raw?: string;
  /** the blob holding it (mail, which can be larger than a queue message). */
  blob?: string;
  receivedAt: string;
}

export function parseGenericEvent(input: unknown): ParseResult<NewTicket & { eventId: string }> {
  const parsed = genericEvent.safeParse(input);
  if (!parsed.success) return { ok: false, error: describeIssue(parsed.error) };
  const { eventId, externalId, requester, ...rest } = parsed.data;
  return {
    ok: true,
    value: {
      ...rest,
      eventId,
      requester: { ...requester, email: requester.email.toLowerCase() },
      externalId: `webhook:${externalId ?? eventId}`,
      channel: 'webhook',
    },
  };
}
