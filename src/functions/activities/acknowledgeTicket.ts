import { registerTicketActivity } from './registerTicketActivity';

registerTicketActivity('acknowledge');
