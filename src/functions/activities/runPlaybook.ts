import { registerTicketActivity } from './registerTicketActivity';

registerTicketActivity('runPlaybook');
