import { registerTicketActivity } from './registerTicketActivity';

registerTicketActivity('triage');
