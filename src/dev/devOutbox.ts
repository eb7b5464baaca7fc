import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { withServices } from '../../composition';
import { readConfig } from '../../config';
import { jsonError } from '../../http/httpHelpers';
import type { Outbox } from '../../ports/emailSender';

export function devOutboxHandler(outbox: Outbox | undefined) {
  return async function devOutbox(req: HttpRequest): Promise<HttpResponseInit> {
    const to = req.query.get('to');
    if (!to) return jsonError(400, 'to: is required');
    if (!outbox) return jsonError(404, 'the outbox exists only when AUTOTIER_MAIL_MODE=outbox');
    return { status: 200, jsonBody: await outbox.list(to) };
  };
}

// Registered only where the local runtime turns dev endpoints on; never present in Azure.
if (readConfig().devEndpoints) {
  app.http('devOutbox', {
    route: 'dev/outbox',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: withServices((s) => devOutboxHandler(s.outbox)),
  });
}
