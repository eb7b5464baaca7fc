/** Function, activity and event names: declared once, used by registration and callers alike. */
export const Orchestrations = {
  ticket: 'ticketOrchestrator',
} as const;

export const Activities = {
  acknowledge: 'acknowledgeTicket',
  classify: 'classifyTicket',
  runPlaybook: 'runPlaybook',
  sendUpdate: 'sendTicketUpdate',
  escalate: 'escalateTicket',
  updateTicket: 'updateTicket',
  notifyTier: 'notifyTier',
  recordOutcome: 'recordOutcome',
  recordReply: 'recordReply',
} as const;
