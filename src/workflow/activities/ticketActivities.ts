import { acknowledge } from './acknowledge';
import { classify } from './classify';
import { escalate } from './escalate';
import { createActivityKit, type TicketActivityDeps } from './kit';
import { notifyTier } from './notifyTier';
import { readReply } from './readReply';
import { recordOutcome } from './recordOutcome';
import { recordReply } from './recordReply';
import { runPlaybook } from './runPlaybook';
import { sendUpdate } from './sendUpdate';
import { triage } from './triage';
import { updateTicket } from './updateTicket';

export type { TicketActivityDeps, TicketContext, TicketStepInput } from './kit';
export type { PlaybookResult } from './runPlaybook';
export type { UpdateKind } from './sendUpdate';
export type { UpdateOutcome } from './updateTicket';

/**
 * The ticket activities over the app's ports (temporalio's `createActivities(deps)`): the workflow
 * calls them through `proxyTicketActivities`, typed by this factory's return type.
 */
export function createTicketActivities(deps: TicketActivityDeps) {
  const kit = createActivityKit(deps);
  return {
    acknowledge: acknowledge(kit),
    classify: classify(kit),
    triage: triage(kit),
    runPlaybook: runPlaybook(kit),
    sendUpdate: sendUpdate(kit),
    escalate: escalate(kit),
    updateTicket: updateTicket(kit),
    notifyTier: notifyTier(kit),
    recordOutcome: recordOutcome(kit),
    recordReply: recordReply(kit),
    readReply: readReply(kit),
  };
}

export type TicketActivities = ReturnType<typeof createTicketActivities>;
