import * as df from 'durable-functions';

import { services } from '../../index';
import { Activities } from '../names';
import { createTicketActivities, type TicketStepInput } from './ticketActivities';

df.app.activity(Activities.classify, {
  handler: async (input: TicketStepInput) => createTicketActivities(await services()).classify(input),
});
