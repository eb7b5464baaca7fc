import type { Stage } from './ticket';

/** The steps of a ticket's life that move its stage. */
export type StageStep =
  | 'acknowledged'
  | 'classified'
  | 'resolving'
  | 'guide_sent'
  | 'resolved'
  | 'closed_unconfirmed'
  | 'escalated'
  | 'reopened'
  | 'reopen_window_passed';

/**
 * The one owner of a ticket's stage: the workflow asks it what the stage becomes after a step, and
 * the activities persist the same answer, so the status page and the workflow never disagree.
 */
export function stageAfter(current: Stage, step: StageStep): Stage {
  switch (step) {
    case 'acknowledged':
      return 'received';
    case 'classified':
      return 'classified';
    case 'resolving':
      return 'resolving';
    case 'guide_sent':
      return 'awaiting_confirmation';
    case 'resolved':
      return 'resolved';
    case 'closed_unconfirmed':
      return 'closed';
    case 'escalated':
    case 'reopened':
      return 'escalated';
    case 'reopen_window_passed':
      // Only a resolved ticket closes quietly; anything else keeps the stage it ended in.
      return current === 'resolved' ? 'closed' : current;
  }
}
