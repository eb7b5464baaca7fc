import { registerTicketActivity } from './registerTicketActivity';

registerTicketActivity('recordOutcome');
