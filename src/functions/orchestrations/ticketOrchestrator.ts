import * as df from 'durable-functions';

import { ticketWorkflow } from '../../workflow/ticket/ticketWorkflow';
import { Orchestrations } from '../names';

/** One orchestration per ticket; the workflow itself lives in `src/workflow/ticket/`. */
df.app.orchestration(Orchestrations.ticket, ticketWorkflow);
