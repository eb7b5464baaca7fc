import * as df from 'durable-functions';

import { Orchestrations } from '../../names';
import { ticketWorkflow } from '../../workflow/ticket/ticketWorkflow';

/** One orchestration per ticket; the workflow itself lives in `src/workflow/ticket/`. */
df.app.orchestration(Orchestrations.ticket, ticketWorkflow);
