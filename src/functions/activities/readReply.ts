import { registerTicketActivity } from './registerTicketActivity';

registerTicketActivity('readReply');
