import { registerTicketActivity } from './registerTicketActivity';

registerTicketActivity('notifyTier');
