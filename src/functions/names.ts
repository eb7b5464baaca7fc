/** Function, activity and event names: declared once, used by registration and callers alike. */
export const Orchestrations = {
  ticket: 'ticketOrchestrator',
} as const;

export const Activities = {
  acknowledge: 'acknowledgeTicket',
  classify: 'classifyTicket',
} as const;
