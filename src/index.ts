/**
 * The Functions app's entry point: the host's settings and hooks. The functions register
 * themselves (src/functions, one per file); their adapters come from the composition root
 * (src/composition).
 */
import { app } from '@azure/functions';

import { readConfig } from './config';
import { guardStorageOutage } from './http/storageOutage';

app.setup({ enableHttpStream: false });

// A setting the platform could not resolve (a Key Vault reference left as its literal text) stops
// the app as it starts, naming the setting, rather than failing each request later.
app.hook.appStart(() => {
  readConfig();
});

// Storage down is not a bug: every HTTP function answers 503 with Retry-After rather than a 500.
app.hook.preInvocation((context) => {
  if (context.invocationContext.options.trigger.type === 'httpTrigger')
    context.functionHandler = guardStorageOutage(context.functionHandler);
});
