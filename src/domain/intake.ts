import { z } from 'zod';

import { UNSAFE_IN_ONE_LINE } from './text';
import type { NewTicket } from './ticket';

/** Largest request body POST /api/tickets accepts; larger requests get 413. */
export const MAX_TICKET_REQUEST_BYTES = 64 * 1024;
/** Longest ticket body in characters (Table Storage keeps a string property under 32K UTF-16 units). */
export const MAX_TICKET_BODY_CHARS = 20_000;

const HTML_TAG = /<\s*\/?\s*[a-z!][^>]*>/i;
const plainText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !HTML_TAG.test(s), 'must be plain text (HTML tags are not allowed)')
    .refine(
      (s) => !UNSAFE_IN_ONE_LINE.test(s),
      'must be one line of text (no line breaks, control characters or direction overrides)',
    );

const idLike = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z0-9._:@-]+$/, 'may contain only letters, digits and . _ : @ -');

export const newTicketRequest = z
  .object({
    clientId: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 lowercase letters, digits or hyphens'),
    requester: z.object({
      name: plainText(200).optional(),
      email: z.email('must be an email address').max(254),
    }),
    subject: plainText(300),
    body: z.string().max(MAX_TICKET_BODY_CHARS, `must be at most ${MAX_TICKET_BODY_CHARS} characters`),
    externalId: idLike.optional(),
  })
  .strict();

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Names the first bad field, e.g. `requester.email: must be an email address`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid request';
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') return `unknown field: ${issue.keys.join(', ')}`;
  if (!path) return 'request body must be a JSON object with clientId, requester, subject and body';
  if (issue.code === 'invalid_type') {
    return /received undefined/.test(issue.message)
      ? `${path}: is required`
      : `${path}: must be a ${issue.expected}`;
  }
  return `${path}: ${issue.message}`;
}

export function parseNewTicket(input: unknown): ParseResult<NewTicket> {
  const parsed = newTicketRequest.safeParse(input);
  if (!parsed.success) return { ok: false, error: describeIssue(parsed.error) };
  const { requester, externalId, ...rest } = parsed.data;
  return {
    ok: true,
    value: {
      ...rest,
      requester: { ...requester, email: requester.email.toLowerCase() },
      // The caller's idempotency key, in the API's own namespace: it can never name a ticket that
      // came from a PSA or a mail (whose write-backs it could otherwise aim at).
      ...(externalId ? { externalId: `api:${externalId}` } : {}),
      channel: 'api',
    },
  };
}
