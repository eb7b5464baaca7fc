import { randomUUID } from 'node:crypto';

import type { DurableEngine } from './engine';
import type { InstanceState, RuntimeStatus } from './types';

export interface ApiResponse {
  status: number;
  body?: unknown;
}

/** The binding data `df.getClient()` reads: where the instance-management API lives. */
export function durableClientData(baseUrl: string, taskHub: string) {
  const webhooks = `${baseUrl}/runtime/webhooks/durabletask`;
  const instance = `${webhooks}/instances/INSTANCEID`;
  return {
    taskHubName: taskHub,
    creationUrls: {
      createNewInstancePostUri: `${webhooks}/orchestrators/{functionName}[/{instanceId}]`,
      createAndWaitOnNewInstancePostUri: `${webhooks}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}`,
    },
    managementUrls: {
      id: 'INSTANCEID',
      statusQueryGetUri: instance,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}`,
      terminatePostUri: `${instance}/terminate?reason={text}`,
      rewindPostUri: `${instance}/rewind?reason={text}`,
      purgeHistoryDeleteUri: instance,
      restartPostUri: `${instance}/restart`,
      suspendPostUri: `${instance}/suspend?reason={text}`,
      resumePostUri: `${instance}/resume?reason={text}`,
    },
    baseUrl: webhooks,
    requiredQueryStringParameters: '',
    rpcBaseUrl: `${baseUrl}/durabletask/`,
    httpBaseUrl: webhooks,
  };
}

const parseJson = (text: string): unknown => (text === '' ? null : JSON.parse(text));

function statusBody(state: InstanceState, history?: unknown[]) {
  return {
    name: state.name,
    instanceId: state.instanceId,
    createdTime: state.createdTime,
    lastUpdatedTime: state.lastUpdatedTime,
    input: parseJson(state.input),
    output: parseJson(state.output),
    runtimeStatus: state.runtimeStatus,
    customStatus: parseJson(state.customStatus),
    ...(history ? { history } : {}),
  };
}

/**
 * The Durable extension's instance-management HTTP API, as durable-functions' DurableClient calls
 * it (rpcBaseUrl form) and as documented for /runtime/webhooks/durabletask.
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
    const links = durableClientData(baseUrl, engine.taskHub).managementUrls;
    const withId = Object.fromEntries(
      Object.entries(links).map(([k, v]) => [k, v.replace('INSTANCEID', instanceId)]),
    );
    return { status: 202, body: { ...withId, id: instanceId } };
  }

  if (parts[0] !== 'instances') return { status: 404, body: { error: 'unknown durable task API path' } };
  const instanceId = parts[1];

  if (!instanceId) {
    const runtimeStatus = q.get('runtimeStatus')?.split(',').filter(Boolean) as RuntimeStatus[] | undefined;
    const states = await engine.query({
      runtimeStatus,
      createdFrom: q.get('createdTimeFrom') ?? undefined,
      createdTo: q.get('createdTimeTo') ?? undefined,
    });
    if (method === 'GET') return { status: 200, body: states.map((s) => statusBody(s)) };
    if (method === 'DELETE') {
      let deleted = 0;
      for (const s of states) if (await engine.purge(s.instanceId)) deleted++;
      return deleted ? { status: 200, body: { instancesDeleted: deleted } } : { status: 404 };
    }
  }

  if (instanceId && parts.length === 2) {
    if (method === 'GET') {
      const found = await engine.status(instanceId);
      if (!found) return { status: 404, body: { error: `no instance ${instanceId}` } };
      const { state, history } = found;
      const running = state.runtimeStatus === 'Pending' || state.runtimeStatus === 'Running';
      return {
        status: running ? 202 : 200,
        body: statusBody(state, q.get('showHistory') === 'true' ? history : undefined),
      };
    }
    if (method === 'DELETE') {
      return (await engine.purge(instanceId))
        ? { status: 200, body: { instancesDeleted: 1 } }
        : { status: 404 };
    }
  }

  if (instanceId && method === 'POST' && (parts[2] === 'raiseEvent' || parts[2] === 'terminate')) {
    let result;
    if (parts[2] === 'raiseEvent') {
      if (!parts[3]) return { status: 400, body: { error: 'event name is required' } };
      try {
        result = await engine.raiseEvent(instanceId, parts[3], JSON.stringify(parseJson(body)));
      } catch {
        return { status: 400, body: { error: 'event data is not valid JSON' } };
      }
    } else {
      result = await engine.terminate(instanceId, q.get('reason') ?? '');
    }
    return { status: result === 'accepted' ? 202 : result === 'gone' ? 410 : 404 };
  }
  return { status: 404, body: { error: 'unknown durable task API path' } };
}
