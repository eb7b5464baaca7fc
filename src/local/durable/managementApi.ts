import { randomUUID } from 'node:crypto';

import type { DurableEngine } from './engine';
import { EventType, type HistoryEvent, type InstanceState, type RuntimeStatus } from './types';

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The binding data `df.getClient()` reads: where the instance-management API lives. */
export function durableClientData(baseUrl: string, taskHub: string) {
  const webhooks = `${baseUrl}/runtime/webhooks/durabletask`;
  const instance = `${webhooks}/instances/INSTANCEID`;
  // As the extension builds them (HttpApiHandler.GetClientResponseLinks): the task hub and
  // connection in the query string, so callers append their own parameters with `&`.
  const query = `taskHub=${taskHub}&connection=Storage`;
  return {
    taskHubName: taskHub,
    creationUrls: {
      createNewInstancePostUri: `${webhooks}/orchestrators/{functionName}[/{instanceId}]?${query}`,
      createAndWaitOnNewInstancePostUri: `${webhooks}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${query}`,
    },
    managementUrls: {
      id: 'INSTANCEID',
      statusQueryGetUri: `${instance}?${query}`,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
      terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
      purgeHistoryDeleteUri: `${instance}?${query}`,
      restartPostUri: `${instance}/restart?${query}`,
      suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
      resumePostUri: `${instance}/resume?reason={text}&${query}`,
    },
    baseUrl: webhooks,
    requiredQueryStringParameters: query,
    rpcBaseUrl: `${baseUrl}/durabletask/`,
    httpBaseUrl: webhooks,
  };
}

const parseJson = (text: string): unknown => (text === '' ? null : JSON.parse(text));
const flag = (q: URLSearchParams, name: string, fallback: boolean) =>
  q.has(name) ? q.get(name)?.toLowerCase() === 'true' : fallback;

const NAMES: Record<number, string> = Object.fromEntries(Object.entries(EventType).map(([k, v]) => [v, k]));
NAMES[EventType.ExecutionStarted] = 'ExecutionStarted';

/** The extension's status payload: `createdTime` and `lastUpdatedTime` to the second, as it formats them. */
function statusBody(
  state: InstanceState,
  options: { showInput: boolean; history?: HistoryEvent[]; showHistoryOutput?: boolean },
) {
  return {
    name: state.name,
    instanceId: state.instanceId,
    runtimeStatus: state.runtimeStatus,
    input: options.showInput ? parseJson(state.input) : null,
    customStatus: parseJson(state.customStatus),
    output: parseJson(state.output),
    createdTime: `${state.createdTime.slice(0, 19)}Z`,
    lastUpdatedTime: `${state.lastUpdatedTime.slice(0, 19)}Z`,
    ...(options.history
      ? {
          historyEvents: historyEvents(
            options.history,
            options.showInput,
            options.showHistoryOutput ?? false,
          ),
        }
      : {}),
  };
}

/**
 * History as the extension's status API shows it (DurableClient.GetDurableOrchestrationStatusAsync):
 * event types by name; TaskScheduled folded into the completion that follows it (FunctionName,
 * ScheduledTime); the orchestrator's own start and end events left out; ids, IsPlayed, inputs
 * unless asked and results unless showHistoryOutput left out.
 */
export function historyEvents(history: HistoryEvent[], showInput: boolean, showOutput: boolean): unknown[] {
  const scheduled = new Map<number, HistoryEvent>();
  const out: Record<string, unknown>[] = [];
  for (const e of history) {
    if (e.EventType === EventType.OrchestratorStarted || e.EventType === EventType.OrchestratorCompleted)
      continue;
    if (e.EventType === EventType.TaskScheduled) {
      scheduled.set(e.EventId, e);
      continue;
    }
    const {
      EventType: _type,
      EventId: _id,
      IsPlayed: _played,
      Input,
      Result,
      TaskScheduledId,
      TimerId: _timer,
      Name,
      ...rest
    } = e;
    const item: Record<string, unknown> = { EventType: NAMES[e.EventType] ?? String(e.EventType), ...rest };
    if (e.EventType === EventType.ExecutionStarted) item.FunctionName = Name;
    else if (Name !== undefined) item.Name = Name;
    if (e.EventType === EventType.TaskCompleted || e.EventType === EventType.TaskFailed) {
      const task = scheduled.get(Number(TaskScheduledId));
      if (task) {
        item.FunctionName = task.Name;
        item.ScheduledTime = task.Timestamp;
        if (showInput) item.Input = task.Input;
      }
    } else if (showInput && Input !== undefined) item.Input = Input;
    const hasOutput = e.EventType === EventType.TaskCompleted || e.EventType === EventType.ExecutionCompleted;
    if (hasOutput && showOutput && typeof Result === 'string') item.Result = parseJson(Result);
    if (e.EventType === EventType.ExecutionCompleted)
      item.OrchestrationStatus = Result === undefined ? 'ContinuedAsNew' : 'Completed';
    out.push(item);
  }
  return out;
}

const NOT_SUPPORTED = (what: string) => ({
  status: 501,
  body: { error: `${what} not supported by the local runtime` },
});

/**
 * The Durable extension's instance-management HTTP API, as durable-functions' DurableClient calls
 * it (rpcBaseUrl form) and as documented for /runtime/webhooks/durabletask
 * (Microsoft.Azure.WebJobs.Extensions.DurableTask HttpApiHandler is the reference).
 */
export async function handleManagementApi(
  engine: DurableEngine,
  baseUrl: string,
  method: string,
  url: URL,
  body: string,
): Promise<ApiResponse> {
  const path = url.pathname.replace(/^\/(runtime\/webhooks\/)?durabletask\/?/, '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const q = url.searchParams;
  const links = (instanceId: string): Record<string, string> =>
    Object.fromEntries(
      Object.entries(durableClientData(baseUrl, engine.taskHub).managementUrls).map(([k, v]) => [
        k,
        v.replace('INSTANCEID', encodeURIComponent(instanceId)),
      ]),
    );
  const accepted = (instanceId: string): ApiResponse => {
    const payload: Record<string, string> = { ...links(instanceId), id: instanceId };
    return { status: 202, body: payload, headers: { Location: payload.statusQueryGetUri ?? '' } };
  };

  if (parts[0] === 'entities') return NOT_SUPPORTED('Durable entities (signalEntity, readEntityState) are');
  if (parts[0] === 'orchestrators' && parts[1] && method === 'POST') {
    const instanceId = parts[2] ?? randomUUID().replace(/-/g, '');
    let input: string;
    try {
      input = JSON.stringify(parseJson(body));
    } catch {
      return { status: 400, body: { error: 'orchestration input is not valid JSON' } };
    }
    const result = await engine.start(parts[1], instanceId, input);
    if (!result.ok) return { status: result.status, body: { error: result.error } };
    return accepted(instanceId);
  }

  if (parts[0] !== 'instances') return { status: 404, body: { error: 'unknown durable task API path' } };
  const instanceId = parts[1];

  if (!instanceId) {
    const runtimeStatus = q.get('runtimeStatus')?.split(',').filter(Boolean) as RuntimeStatus[] | undefined;
    const prefix = q.get('instanceIdPrefix') ?? '';
    const states = (
      await engine.query({
        runtimeStatus,
        createdFrom: q.get('createdTimeFrom') ?? undefined,
        createdTo: q.get('createdTimeTo') ?? undefined,
      })
    )
      .filter((s) => s.instanceId.startsWith(prefix))
      .sort((a, b) => a.createdTime.localeCompare(b.createdTime) || a.instanceId.localeCompare(b.instanceId));
    if (method === 'GET') {
      // Pages of `top`, continued with the x-ms-continuation-token header (an offset here).
      const top = Number(q.get('top') ?? 0);
      const from = Number(q.get('continuationToken') ?? 0) || 0;
      const page = top > 0 ? states.slice(from, from + top) : states.slice(from);
      const next = top > 0 && from + top < states.length ? String(from + top) : undefined;
      return {
        status: 200,
        body: page.map((s) => statusBody(s, { showInput: flag(q, 'showInput', false) })),
        headers: next ? { 'x-ms-continuation-token': next } : {},
      };
    }
    if (method === 'DELETE') {
      let deleted = 0;
      for (const s of states) if (await engine.purge(s.instanceId)) deleted++;
      return deleted ? { status: 200, body: { instancesDeleted: deleted } } : { status: 404 };
    }
  }

  if (instanceId && parts.length === 2) {
    if (method === 'GET') {
      const showHistory = flag(q, 'showHistory', false);
      const found = await engine.status(instanceId, { history: showHistory });
      if (!found) return { status: 404, body: { error: `no instance ${instanceId}` } };
      const { state, history } = found;
      const payload = statusBody(state, {
        showInput: flag(q, 'showInput', true),
        history: showHistory && state.runtimeStatus !== 'Pending' ? history : undefined,
        showHistoryOutput: flag(q, 'showHistoryOutput', false),
      });
      if (['Pending', 'Running', 'Suspended'].includes(state.runtimeStatus))
        return { status: 202, body: payload, headers: { Location: url.href, 'Retry-After': '5' } };
      if (state.runtimeStatus === 'Failed' && flag(q, 'returnInternalServerErrorOnFailure', false))
        return { status: 500, body: payload };
      return { status: 200, body: payload };
    }
    if (method === 'DELETE') {
      return (await engine.purge(instanceId))
        ? { status: 200, body: { instancesDeleted: 1 } }
        : { status: 404 };
    }
  }

  if (instanceId && method === 'POST' && parts.length >= 3) {
    const operation = parts[2];
    const reason = q.get('reason') ?? '';
    let result;
    switch (operation) {
      case 'raiseEvent':
        if (!parts[3]) return { status: 400, body: { error: 'event name is required' } };
        let data: string;
        try {
          data = JSON.stringify(parseJson(body));
        } catch {
          return { status: 400, body: { error: 'event data is not valid JSON' } };
        }
        result = await engine.raiseEvent(instanceId, parts[3], data);
        break;
      case 'terminate':
        result = await engine.terminate(instanceId, reason);
        break;
      case 'suspend':
        result = await engine.suspend(instanceId, reason);
        break;
      case 'resume':
        result = await engine.resume(instanceId, reason);
        break;
      case 'restart': {
        const newId = flag(q, 'restartWithNewInstanceId', true) ? randomUUID().replace(/-/g, '') : undefined;
        const restarted = await engine.restart(instanceId, newId);
        if (!restarted.ok) return { status: restarted.status, body: { error: restarted.error } };
        return accepted(restarted.instanceId ?? instanceId);
      }
      case 'rewind':
        return NOT_SUPPORTED('rewind (deprecated in the extension) is');
      default:
        return { status: 404, body: { error: 'unknown durable task API path' } };
    }
    return { status: result === 'accepted' ? 202 : result === 'gone' ? 410 : 404 };
  }
  return { status: 404, body: { error: 'unknown durable task API path' } };
}
