import { app } from '@azure/functions';

import { withServices } from '../../composition';
import { metricsHandler } from '../../reporting/metrics';

/** `GET /api/metrics?clientId=&from=&to=`: a client's outcome metrics. */
app.http('metrics', {
  route: 'metrics',
  methods: ['GET'],
  authLevel: 'function',
  handler: withServices((s) =>
    metricsHandler({
      clients: s.clients,
      outcomes: s.outcomes,
      assistantUsage: s.assistantUsage,
      now: s.now,
    }),
  ),
});
