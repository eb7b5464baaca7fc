import { registerTicketActivity } from './registerTicketActivity';

registerTicketActivity('sendUpdate');
