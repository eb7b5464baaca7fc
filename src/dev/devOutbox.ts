import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { jsonError } from '../http/httpHelpers';
import type { Outbox } from '../ports/emailSender';

export function devOutboxHandler(outbox: Outbox | undefined) {
  return async function devOutbox(req: HttpRequest): Promise<HttpResponseInit> {
    const to = req.query.get('to');
    if (!to) return jsonError(400, 'to: is required');
    if (!outbox) return jsonError(404, 'the outbox exists only when AUTOTIER_MAIL_MODE=outbox');
    return { status: 200, jsonBody: await outbox.list(to) };
  };
}
