import { app, type HttpHandler } from '@azure/functions';

import { withServices } from '../../composition';
import type { PsaVendor } from '../../domain/psa';
import { psaWebhookHandler } from '../../intake/psaWebhook';

/** Registers one PSA's webhook at `webhooks/<vendor>` (404 where the deployment has another PSA or none). */
export function registerPsaWebhook(vendor: PsaVendor): void {
  app.http(`${vendor}Webhook`, {
    route: `webhooks/${vendor}`,
    methods: ['POST'],
    authLevel: 'anonymous',
    handler: withServices((s): HttpHandler => psaWebhookHandler(vendor, s)),
  });
}
