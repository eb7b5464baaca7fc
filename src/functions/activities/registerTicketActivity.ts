import * as df from 'durable-functions';

import { withServices } from '../../composition';
import { Activities } from '../../names';
import { createTicketActivities, type TicketActivities } from '../../workflow/activities/ticketActivities';

/** Registers one ticket activity under its constant name, bound to the app's adapters. */
export function registerTicketActivity<K extends keyof TicketActivities>(key: K): void {
  df.app.activity(Activities[key], {
    handler: withServices((s) => createTicketActivities(s)[key] as (input: unknown) => Promise<unknown>),
  });
}
