import * as df from 'durable-functions';

import { workflowProblems } from '../domain/workflowHealth';
import type { Notifier } from '../ports/notifier';
import type { RawCopies } from '../ports/rawCopies';
import type { TokenStore } from '../ports/tokenStore';

const DAY = 24 * 60 * 60 * 1000;
const { Completed, Failed, Pending, Running, Terminated } = df.OrchestrationRuntimeStatus;

export interface HousekeepingDeps {
  client: df.DurableClient;
  notifier: Notifier;
  tokens: TokenStore;
  now: Date;
  retentionDays: number;
  /** Raw copies of what people sent, and how long they are kept. */
  raw?: { copies: RawCopies[]; retentionDays: number };
  log: (message: string) => void;
  error: (message: string) => void;
}

/**
 * Hourly: tell tier 2 about ticket workflows that failed, never started or slept through their
 * deadline (once per instance and kind), purge the Durable history of finished workflows older
 * than the retention, forget expired link nonces and delivery ids, and delete raw copies (raw mail,
 * review entries, claim-checked deliveries) older than the raw retention. Tickets, timelines,
 * outcomes and resolutions live in their own tables and stay: metrics, similar tickets and
 * tuning need them.
 */
export async function workflowHousekeeping(
  deps: HousekeepingDeps,
): Promise<{ alerted: number; purged: number; forgotten: number; rawDeleted: number }> {
  const instances = await deps.client.getStatusBy({ runtimeStatus: [Failed, Pending, Running] });
  // durable-functions types these as Dates but hands over the JSON strings.
  const summaries = instances.map((i) => ({
    instanceId: i.instanceId,
    runtimeStatus: String(i.runtimeStatus),
    createdTime: new Date(i.createdTime),
    lastUpdatedTime: new Date(i.lastUpdatedTime),
    customStatus: i.customStatus,
  }));
  let alerted = 0;
  for (const problem of workflowProblems(summaries, deps.now)) {
    if (
      !(await deps.tokens.use(
        `workflow-alert:${problem.instanceId}:${problem.kind}`,
        new Date(deps.now.getTime() + 30 * DAY),
      ))
    )
      continue;
    const ticketId = problem.instanceId.replace(/^ticket-/, '');
    const message = `The workflow of ${ticketId} ${problem.kind === 'failed' ? 'failed' : problem.kind === 'stuck' ? 'is stuck' : 'never started'} (${problem.detail}). Check the logs and the instance ${problem.instanceId}; the ticket may need a person.`;
    // A logged error reaches Application Insights, where an alert rule can page on it.
    deps.error(
      `autotier.workflowAlert ${JSON.stringify({ instanceId: problem.instanceId, kind: problem.kind })}: ${message}`,
    );
    await deps.notifier.notify({
      key: `workflow-${problem.kind}`,
      ticketId,
      clientId: '_all',
      tier: 2,
      kind: 'workflow_problem',
      message,
      at: deps.now.toISOString(),
    });
    alerted++;
  }
  const purged = await deps.client.purgeInstanceHistoryBy({
    createdTimeFrom: new Date(0),
    createdTimeTo: new Date(deps.now.getTime() - deps.retentionDays * DAY),
    runtimeStatus: [Completed, Terminated],
  });
  if (purged.instancesDeleted > 0)
    deps.log(`purged the Durable history of ${purged.instancesDeleted} finished ticket workflow(s)`);
  const forgotten = await deps.tokens.sweep(deps.now);
  if (forgotten > 0) deps.log(`forgot ${forgotten} expired link nonce(s) and delivery id(s)`);
  let rawDeleted = 0;
  if (deps.raw) {
    const cutoff = new Date(deps.now.getTime() - deps.raw.retentionDays * DAY);
    for (const copies of deps.raw.copies) {
      const n = await copies.purgeBefore(cutoff);
      if (n > 0) deps.log(`deleted ${n} ${copies.name} older than ${deps.raw.retentionDays} days`);
      rawDeleted += n;
    }
  }
  return { alerted, purged: purged.instancesDeleted, forgotten, rawDeleted };
}
