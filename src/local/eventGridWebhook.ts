import type http from 'node:http';

import { invokeFunction } from './invoke';
import { send } from './mounts';
import type { TriggerHost } from './triggers';

/**
 * Event Grid triggers, as the host exposes them: `POST /runtime/webhooks/eventgrid?functionName=`
 * with Event Grid's array of events. A subscription validation is answered with its code; each
 * event is one invocation; a failure answers 500 so Event Grid retries.
 */
export async function serveEventGrid(
  host: TriggerHost,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  body: Buffer,
): Promise<void> {
  const fn = host.registry.get(url.searchParams.get('functionName') ?? '');
  if (!fn || fn.trigger.type !== 'eventGridTrigger')
    return send(res, 404, { error: 'no Event Grid function of that name' });
  let events: { data?: { validationCode?: string } }[];
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    events = (Array.isArray(parsed) ? parsed : [parsed]) as typeof events;
  } catch {
    return send(res, 400, { error: 'the body is not Event Grid JSON' });
  }
  if (String(req.headers['aeg-event-type'] ?? '').toLowerCase() === 'subscriptionvalidation')
    return send(res, 200, { validationResponse: events[0]?.data?.validationCode ?? '' });
  for (const event of events) {
    try {
      await invokeFunction(
        host.registry,
        fn,
        [{ name: fn.triggerName, data: { json: JSON.stringify(event) } }, ...host.extraInputs(fn)],
        host.log,
      );
    } catch (err) {
      host.log('error', `${fn.name} failed: ${err instanceof Error ? err.message : String(err)}`);
      return send(res, 500, { error: 'the function failed; Event Grid will retry' });
    }
  }
  return send(res, 202);
}
