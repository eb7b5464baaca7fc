import { registerTicketActivity } from './registerTicketActivity';

registerTicketActivity('updateTicket');
