import { registerTicketActivity } from './registerTicketActivity';

registerTicketActivity('loadContext');
