import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { jsonError } from '../http/httpHelpers';
import { clientMetrics, type MetricsDeps } from './clientMetrics';

/**
 * `GET /api/metrics?clientId=&from=&to=`: a client's outcome metrics for tickets received in
 * [from, to) (default: the last 30 days by the app's clock).
 */
export function metricsHandler(deps: MetricsDeps & { now: () => Date }) {
  return async function metrics(req: HttpRequest): Promise<HttpResponseInit> {
    const optional = (name: string) => req.query.get(name) ?? undefined;
    const result = await clientMetrics(deps, {
      clientId: optional('clientId'),
      from: optional('from'),
      to: optional('to'),
      now: deps.now().getTime(),
    });
    if (!result.ok) return jsonError(result.status, result.error);
    return { status: 200, headers: { 'cache-control': 'no-store' }, jsonBody: result.metrics };
  };
}
