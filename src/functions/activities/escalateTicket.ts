import { registerTicketActivity } from './registerTicketActivity';

registerTicketActivity('escalate');
