/**
 * Which ticket workflows need a person to look at them: failed ones, ones that never started,
 * and running ones that slept through their own next deadline (the custom status says when the
 * workflow meant to wake; an instance that has not moved long after that is stuck).
 */
export interface InstanceSummary {
  instanceId: string;
  runtimeStatus: string;
  createdTime: Date;
  lastUpdatedTime: Date;
  customStatus?: unknown;
}

export interface WorkflowProblem {
  instanceId: string;
  kind: 'failed' | 'not_started' | 'stuck';
  detail: string;
}

/** How late past its own deadline (or its start) an instance may be before it counts as stuck. */
export const STUCK_AFTER_MS = 30 * 60 * 1000;

export function workflowProblems(instances: InstanceSummary[], now: Date): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  for (const i of instances) {
    if (i.runtimeStatus === 'Failed') {
      problems.push({
        instanceId: i.instanceId,
        kind: 'failed',
        detail: `failed at ${i.lastUpdatedTime.toISOString()}`,
      });
    } else if (i.runtimeStatus === 'Pending' && now.getTime() - i.createdTime.getTime() > STUCK_AFTER_MS) {
      problems.push({
        instanceId: i.instanceId,
        kind: 'not_started',
        detail: `created ${i.createdTime.toISOString()} and never started`,
      });
    } else if (i.runtimeStatus === 'Running') {
      const due = nextDeadline(i.customStatus);
      if (due !== undefined && now.getTime() - due > STUCK_AFTER_MS && i.lastUpdatedTime.getTime() < due)
        problems.push({
          instanceId: i.instanceId,
          kind: 'stuck',
          detail: `meant to wake at ${new Date(due).toISOString()}, last moved ${i.lastUpdatedTime.toISOString()}`,
        });
    }
  }
  return problems;
}

function nextDeadline(status: unknown): number | undefined {
  if (!status || typeof status !== 'object') return undefined;
  const at = (status as { nextDeadline?: unknown }).nextDeadline;
  if (typeof at !== 'string') return undefined;
  const t = Date.parse(at);
  return Number.isNaN(t) ? undefined : t;
}
