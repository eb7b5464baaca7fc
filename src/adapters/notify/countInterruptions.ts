import { INTERRUPTION_KINDS } from '../../domain/metrics';
import type { Notification, Notifier } from '../../ports/notifier';
import type { OutcomeLog } from '../../ports/outcomeLog';

/**
 * The notifier path as the metrics see it: every ticket alert or page that went to a person's
 * channels is an engineer interruption, recorded once per notification key after it went out.
 * Operator alerts (poison queues, stuck workflows) are not about a client's ticket and are left out.
 */
export function countInterruptions(notifier: Notifier, outcomes: OutcomeLog): Notifier {
  return {
    async notify(n: Notification): Promise<void> {
      await notifier.notify(n);
      if (!INTERRUPTION_KINDS.has(n.kind)) return;
      await outcomes.recordInterruption({
        clientId: n.clientId,
        ticketId: n.ticketId,
        key: n.key,
        at: n.at,
        kind: n.kind,
        tier: n.tier,
        ...(n.audience ? { audience: n.audience } : {}),
      });
    },
  };
}
