import { app } from '@azure/functions';

import { durableClientInput, withServices } from '../../composition';
import { readConfig } from '../../config';
import { opsAuthLevel } from '../../ops/opsAccess';
import { opsListHandler } from '../../ops/opsList';

/** `GET /api/ops`: the ops page's ticket list. */
app.http('opsList', {
  route: 'ops',
  methods: ['GET'],
  authLevel: opsAuthLevel(readConfig().appServiceAuth),
  extraInputs: [durableClientInput],
  handler: withServices((s) =>
    opsListHandler({
      tickets: s.tickets,
      clients: s.clients,
      monitor: s.monitorFor,
      now: s.now,
      signIn: s.config.appServiceAuth,
    }),
  ),
});
