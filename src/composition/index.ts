export { durableClientInput } from '../adapters/durable/durableTicketWorkflow';
export { withServices } from './handlers';
export { type Services, services } from './services';
export { openStorage, type Storage } from './storage';
