import { registerTicketActivity } from './registerTicketActivity';

registerTicketActivity('recordReply');
