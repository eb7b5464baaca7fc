import { z } from 'zod';

import { describeIssue, type ParseResult } from './intake';
import type { TicketEvent } from './lifecycle';
import { maskSecrets } from './secrets';

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const eventRequest = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('reply'), from: z.email('must be an email address'), text: text(20_000) })
    .strict(),
  z
    .object({
      type: z.literal('plan'),
      by: text(200),
      note: text(4000),
      publicNote: text(4000).optional(),
      tier: z.number().int().min(1).max(3).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('resolved'),
      by: text(200),
      note: text(4000),
      publicNote: text(4000).optional(),
    })
    .strict(),
]);

/**
 * `POST /api/tickets/{id}/events`: a requester's reply, an engineer's plan, or a resolution.
 * `note` is internal (timeline, escalation package, the PSA's internal note) and never mailed;
 * `publicNote`, when given, is what the requester is told.
 */
export function parseTicketEvent(input: unknown): ParseResult<TicketEvent> {
  const parsed = eventRequest.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    if (first?.code === 'invalid_union' && first.path.length === 1 && first.path[0] === 'type')
      return { ok: false, error: 'type: must be reply, plan or resolved' };
    return { ok: false, error: describeIssue(parsed.error) };
  }
  const { type, ...rest } = parsed.data;
  return { ok: true, value: { kind: type, ...rest } as TicketEvent };
}

/**
 * A requester's reply with the passwords and codes they typed masked: every event is raised to a
 * workflow through this (the API, mail and the portal alike), so the Durable history, the
 * conversation, the PSA and the pages never hold them.
 */
export function maskedEvent(event: TicketEvent): TicketEvent {
  return event.kind === 'reply' ? { ...event, text: maskSecrets(event.text).text } : event;
}
