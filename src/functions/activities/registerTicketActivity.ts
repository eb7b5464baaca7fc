import * as df from 'durable-functions';

import { services } from '../../index';
import { createTicketActivities, type TicketActivities } from '../../workflow/activities/ticketActivities';
import { Activities } from '../names';

/** Registers one ticket activity under its constant name, bound to the app's adapters. */
export function registerTicketActivity<K extends keyof TicketActivities>(key: K): void {
  df.app.activity(Activities[key], {
    handler: async (input: unknown) => {
      const activity = createTicketActivities(await services())[key] as (input: unknown) => Promise<unknown>;
      return activity(input);
    },
  });
}
