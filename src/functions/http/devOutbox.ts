import { app } from '@azure/functions';

import { withServices } from '../../composition';
import { readConfig } from '../../config';
import { devOutboxHandler } from '../../dev/devOutbox';

// Registered only where the local runtime turns dev endpoints on; never present in Azure.
if (readConfig().devEndpoints) {
  app.http('devOutbox', {
    route: 'dev/outbox',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: withServices((s) => devOutboxHandler(s.outbox)),
  });
}
