import type { ClientProfile } from '../domain/client';
import { type ClientMetrics, computeMetrics, parseRange } from '../domain/metrics';
import type { AssistantTotals, AssistantUsageLedger } from '../ports/assistant';
import type { ClientStore } from '../ports/clientStore';
import type { OutcomeLog } from '../ports/outcomeLog';

export interface MetricsDeps {
  clients: ClientStore;
  outcomes: OutcomeLog;
  /** The optional assistant's usage: with it, the metrics carry `llm: {calls, tokens, fallbacks}`. */
  assistantUsage?: AssistantUsageLedger;
}

export interface MetricsQuery {
  clientId: string | undefined;
  from: string | undefined;
  to: string | undefined;
  /** The app's clock: the default range ends now. */
  now: number;
}

export type MetricsResult =
  | { ok: true; metrics: ClientMetrics & { llm?: AssistantTotals }; client: ClientProfile }
  | { ok: false; status: 400 | 404; error: string };

/**
 * A client's metrics for a range (`GET /api/metrics`, `autotier report`): three bounded reads of
 * the outcome log (the tickets received in the range, the interruptions in it, the portal's
 * self-service deflections) and the math in the domain. Nothing scans tickets or replays events.
 */
export async function clientMetrics(deps: MetricsDeps, query: MetricsQuery): Promise<MetricsResult> {
  const clientId = query.clientId?.trim() ?? '';
  if (!clientId) return { ok: false, status: 400, error: 'clientId: required' };
  if (clientId.length > 100 || /[\u0000-\u001f\u007f]/.test(clientId))
    return { ok: false, status: 400, error: 'clientId: must be a client id, e.g. demo' };
  const range = parseRange(query.from, query.to, query.now);
  if (!range.ok) return { ok: false, status: 400, error: range.error };
  const client = await deps.clients.get(clientId);
  if (!client) return { ok: false, status: 404, error: `clientId: no client "${clientId}"` };
  const [from, to] = [new Date(range.from), new Date(range.to)];
  const [summaries, interruptions, selfServiceDeflections, llm] = await Promise.all([
    deps.outcomes.summaries(clientId, from, to),
    deps.outcomes.interruptions(clientId, from, to),
    deps.outcomes.selfServiceDeflections(clientId, from, to),
    deps.assistantUsage?.totals(clientId, from, to),
  ]);
  const metrics = computeMetrics({
    clientId,
    from: range.from,
    to: range.to,
    now: query.now,
    hours: client.businessHours,
    summaries,
    interruptions,
    selfServiceDeflections,
  });
  return { ok: true, client, metrics: llm ? { ...metrics, llm } : metrics };
}
