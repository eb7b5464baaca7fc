import { registerTicketActivity } from './registerTicketActivity';

registerTicketActivity('classify');
