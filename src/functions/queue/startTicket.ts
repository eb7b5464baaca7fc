import { app } from '@azure/functions';

import { durableClientInput, withServices } from '../../composition';
import { readConfig } from '../../config';
import { startTicketHandler } from '../../intake/startTicket';
import { ticketStartQueueName } from '../../names';

// Only with the assistant configured does anything fill this queue.
const config = readConfig();
if (config.openai)
  app.storageQueue('startTicket', {
    queueName: ticketStartQueueName(config.intakeQueue),
    connection: 'AzureWebJobsStorage',
    extraInputs: [durableClientInput],
    handler: withServices((s) => startTicketHandler(s.workflowFor)),
  });
