import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { CronExpressionParser } from 'cron-parser';

import { JsonQueue } from '../adapters/queues/jsonQueue';
import {
  createBlobServiceClient,
  createQueueClient,
  createTableClient,
  storageConnectionFromSettings,
} from '../adapters/tables/storageClients';
import { appClock } from '../appClock';
import { type Clock, SystemClock, VirtualClock } from './clock';
import type { ParameterBinding, RpcHttpData } from './coreTypes';
import { DurableEngine } from './durable/engine';
import { durableClientData, handleManagementApi } from './durable/managementApi';
import { TableDurableStore } from './durable/store';
import type { ControlMessage, WorkItem } from './durable/types';
import { invokeFunction, type Logger } from './invoke';
import { loadApp } from './loadApp';
import { type MountHandler, readBody } from './mounts';
import { Poller, queuePass } from './poller';
import type { FunctionRegistry, RegisteredFunction } from './registry';
import { type CompiledRoute, compileRoute } from './routes';
import { timeSpanSeconds } from './timeSpan';

export interface RuntimeOptions {
  /** Folder holding package.json and host.json. */
  appRoot?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  clock?: Clock;
  log?: Logger;
  /** Seconds a dequeued message stays invisible; a crashed worker's messages return after it. */
  visibilityTimeoutSeconds?: number;
  /**
   * Idle back-off of every poller, overriding host.json (tests use a short one). Without it the
   * Durable pollers back off to host.json's `durableTask.storageProvider.maxQueuePollingInterval`
   * (the extension's default: 30 s) and queue triggers to `queues.maxPollingInterval` (1 min).
   */
  maxPollIntervalMs?: number;
  /** Handlers served under a path prefix (e.g. `/_emulator/graph`) before the app's routes. */
  mounts?: Record<string, MountHandler>;
}

interface HostJson {
  extensions?: {
    http?: { routePrefix?: string };
    queues?: { maxDequeueCount?: number; visibilityTimeout?: string; maxPollingInterval?: string };
    durableTask?: { hubName?: string; storageProvider?: { maxQueuePollingInterval?: string } };
  };
}

const MAX_HTTP_BODY = 100 * 1024 * 1024; // the Functions host's own request limit

const resolveSetting = (value: string) =>
  value.replace(/%([^%]+)%/g, (_, name: string) => process.env[name] ?? '');

export const defaultLogger: Logger = (level, message) => {
  if (level === 'debug' || level === 'trace') return;
  const line = `[${new Date().toISOString()}] ${level.padEnd(11)} ${message}`;
  if (level === 'error' || level === 'critical' || level === 'warning') console.error(line);
  else console.log(line);
};

export class LocalRuntime {
  private server?: http.Server;
  private pollers: Poller[] = [];
  private routes: { fn: RegisteredFunction; route: CompiledRoute; methods: string[] }[] = [];
  private timerTick?: NodeJS.Timeout;
  url = '';

  private constructor(
    readonly registry: FunctionRegistry,
    readonly engine: DurableEngine,
    readonly clock: Clock,
    private readonly options: Required<
      Pick<RuntimeOptions, 'host' | 'port' | 'log' | 'visibilityTimeoutSeconds'>
    >,
    private readonly hostJson: HostJson,
    private readonly maxPollIntervalMs: number | undefined,
    private readonly mounts: Record<string, MountHandler>,
  ) {}

  static async start(options: RuntimeOptions = {}): Promise<LocalRuntime> {
    const appRoot = path.resolve(options.appRoot ?? process.cwd());
    const log = options.log ?? defaultLogger;
    process.env.AUTOTIER_DEV_ENDPOINTS ??= 'true';
    process.env.FUNCTIONS_WORKER_RUNTIME ??= 'node';
    const hostJson = JSON.parse(readFileSync(path.join(appRoot, 'host.json'), 'utf8')) as HostJson;
    const registry = loadApp(appRoot, log);
    const hub = resolveSetting(hostJson.extensions?.durableTask?.hubName ?? 'TestHubName') || 'autotier';
    if (!/^[A-Za-z][A-Za-z0-9]{2,44}$/.test(hub))
      throw new Error(`task hub name "${hub}" must be 3-45 letters and digits`);
    const storage = storageConnectionFromSettings('AzureWebJobsStorage');
    const clock = options.clock ?? new SystemClock();
    appClock.now = () => clock.now();
    const store = new TableDurableStore(
      createTableClient(storage, `${hub}History`),
      createTableClient(storage, `${hub}Timers`),
    );
    // Large messages go to a blob container, as the Azure Storage provider's `-largemessages` one.
    const largeMessages = createBlobServiceClient(storage).getContainerClient(
      `${hub.toLowerCase()}-largemessages`,
    );
    const control = new JsonQueue<ControlMessage>(
      createQueueClient(storage, `${hub.toLowerCase()}-control`),
      largeMessages,
    );
    const work = new JsonQueue<WorkItem>(
      createQueueClient(storage, `${hub.toLowerCase()}-workitems`),
      largeMessages,
    );
    const engine = new DurableEngine(registry, store, control, work, clock, log, { taskHub: hub });
    await engine.ensure();
    const runtime = new LocalRuntime(
      registry,
      engine,
      clock,
      {
        host: options.host ?? '127.0.0.1',
        port: options.port ?? 7071,
        log,
        visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 10,
      },
      hostJson,
      options.maxPollIntervalMs,
      options.mounts ?? {},
    );
    // As the worker does, app start hooks run before any function is invoked.
    for (const hook of registry.hooks.get('appStart') ?? [])
      await hook({ hookData: {}, appHookData: {}, functionAppDirectory: appRoot });
    await runtime.listen();
    await runtime.startWorkers(control, work);
    return runtime;
  }

  /** Waits until no queue, timer or invocation has work left (for tests and simulations). */
  async drain(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    while (quiet < 2) {
      if (Date.now() > deadline) throw new Error('drain: work did not settle in time');
      let handled = 0;
      for (const p of this.pollers) handled += await p.runOnce();
      const idle = this.pollers.every((p) => p.idle);
      quiet = handled === 0 && idle ? quiet + 1 : 0;
      if (!idle) await new Promise((r) => setTimeout(r, 5));
    }
  }

  /**
   * Moves a virtual clock forward and lets everything that became due run. Time stops at every
   * durable timer on the way, in order, so each fires at its own time and what it schedules can
   * fire before the target too, as it would on a real clock.
   */
  async advance(ms: number): Promise<void> {
    const clock = this.clock;
    if (!(clock instanceof VirtualClock)) throw new Error('advance needs a VirtualClock');
    if (ms < 0) throw new Error('time only moves forward');
    const target = clock.now() + ms;
    await this.drain();
    let stuck = 0;
    for (;;) {
      const next = await this.engine.nextTimerAt();
      if (next === undefined || next > target) break;
      if (next > clock.now()) {
        clock.advance(next - clock.now());
        stuck = 0;
      } else if (++stuck > 50)
        throw new Error(`advance: the timer due at ${new Date(next).toISOString()} does not fire`);
      await this.drain();
    }
    clock.advance(target - clock.now());
    await this.drain();
  }

  async stop(): Promise<void> {
    clearInterval(this.timerTick);
    await Promise.all(this.pollers.map((p) => p.stop()));
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }

  private async listen(): Promise<void> {
    const prefix = (this.hostJson.extensions?.http?.routePrefix ?? 'api').replace(/^\/|\/$/g, '');
    // authLevel is not checked, `function` or `admin` alike: like `func start`, a local run needs
    // no keys (in Azure the host checks them before the function runs).
    for (const fn of this.registry.ofTriggerType('httpTrigger')) {
      const route = (fn.trigger.route as string | undefined) ?? fn.name;
      const methods = ((fn.trigger.methods as string[] | undefined) ?? ['GET', 'POST']).map((m) =>
        m.toUpperCase(),
      );
      this.routes.push({ fn, route: compileRoute(prefix ? `${prefix}/${route}` : route), methods });
    }
    this.server = http.createServer({ maxHeaderSize: 16 * 1024 }, (req, res) => {
      this.serve(req, res).catch((err: unknown) => {
        this.options.log('error', `http: ${err instanceof Error ? err.stack : String(err)}`);
        if (!res.headersSent) send(res, 500, { error: 'internal error' });
      });
    });
    // Requests the HTTP parser refuses (a URL or headers over 16 KB) still get a JSON error.
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return socket.destroy();
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const body = JSON.stringify({
        error: status === 431 ? 'the request URL or headers are too large' : 'the request could not be read',
      });
      socket.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.options.port, this.options.host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.url = `http://${this.options.host}:${address.port}`;
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req, MAX_HTTP_BODY);
    if (body === undefined) return send(res, 413, { error: 'request body is too large' });

    if (/^\/(runtime\/webhooks\/)?durabletask(\/|$)/.test(url.pathname)) {
      const result = await handleManagementApi(this.engine, this.url, method, url, body.toString('utf8'));
      return send(res, result.status, result.body, result.headers);
    }
    if (url.pathname === '/runtime/webhooks/eventgrid' && method === 'POST')
      return this.serveEventGrid(req, res, url, body);
    if (url.pathname === '/_local/clock' && method === 'POST' && this.clock instanceof VirtualClock) {
      const { advanceMs } = JSON.parse(body.toString('utf8') || '{}') as { advanceMs?: number };
      await this.advance(Number(advanceMs ?? 0));
      return send(res, 200, { now: new Date(this.clock.now()).toISOString() });
    }

    const path = url.pathname.replace(/\/+$/, '') || '/';
    try {
      decodeURIComponent(path);
    } catch {
      // As the host does: a malformed percent-encoding is the caller's error.
      return send(res, 400, { error: 'the URL has a malformed percent-encoding' });
    }
    for (const [prefix, handler] of Object.entries(this.mounts)) {
      if (path !== prefix && !path.startsWith(`${prefix}/`)) continue;
      const inner = new URL(url.href);
      inner.pathname = url.pathname.slice(prefix.length) || '/';
      return handler({ method, url: inner, headers: req.headers, body }, res);
    }
    for (const { fn, route, methods } of this.routes) {
      const params = route.matches(path);
      if (!params || !methods.includes(method)) continue;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const query: Record<string, string> = {};
      url.searchParams.forEach((v, k) => (query[k] ??= v));
      const rpcHttp: RpcHttpData = { method, url: url.href, headers, body: { bytes: body }, params, query };
      const inputData: ParameterBinding[] = [
        { name: fn.triggerName, data: { http: rpcHttp } },
        ...this.extraInputs(fn),
      ];
      let response;
      try {
        response = await invokeFunction(this.registry, fn, inputData, this.options.log);
      } catch (err) {
        this.options.log('error', `${fn.name} failed: ${err instanceof Error ? err.stack : String(err)}`);
        return send(res, 500, { error: 'internal error' });
      }
      const out = response.returnValue?.http;
      if (!out) return send(res, 204);
      res.writeHead(Number(out.statusCode ?? 200), out.headers ?? {});
      const bytes = out.body?.bytes ?? (out.body?.string ? Buffer.from(out.body.string) : undefined);
      res.end(bytes ? Buffer.from(bytes) : undefined);
      return;
    }
    send(res, 404, { error: `no function serves ${method} ${url.pathname}` });
  }

  /**
   * Event Grid triggers, as the host exposes them: `POST /runtime/webhooks/eventgrid?functionName=`
   * with Event Grid's array of events. A subscription validation is answered with its code; each
   * event is one invocation; a failure answers 500 so Event Grid retries.
   */
  private async serveEventGrid(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    body: Buffer,
  ): Promise<void> {
    const fn = this.registry.get(url.searchParams.get('functionName') ?? '');
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
          this.registry,
          fn,
          [{ name: fn.triggerName, data: { json: JSON.stringify(event) } }, ...this.extraInputs(fn)],
          this.options.log,
        );
      } catch (err) {
        this.options.log('error', `${fn.name} failed: ${err instanceof Error ? err.message : String(err)}`);
        return send(res, 500, { error: 'the function failed; Event Grid will retry' });
      }
    }
    return send(res, 202);
  }

  private extraInputs(fn: RegisteredFunction): ParameterBinding[] {
    return Object.entries(fn.bindings)
      .filter(
        ([, b]) => b.direction === 'in' && (b.type === 'durableClient' || b.type === 'orchestrationClient'),
      )
      .map(([name]) => ({
        name,
        data: { string: JSON.stringify(durableClientData(this.url, this.engine.taskHub)) },
      }));
  }

  private async startWorkers(control: JsonQueue<ControlMessage>, work: JsonQueue<WorkItem>): Promise<void> {
    const { log, visibilityTimeoutSeconds } = this.options;
    const fromHost = (span: string | undefined, fallbackMs: number) =>
      this.maxPollIntervalMs ?? timeSpanSeconds(span, fallbackMs / 1000) * 1000;
    const durable = this.hostJson.extensions?.durableTask?.storageProvider?.maxQueuePollingInterval;
    const intervals = { minIntervalMs: 20, maxIntervalMs: fromHost(durable, 30_000) };
    const queueIntervals = {
      minIntervalMs: 20,
      maxIntervalMs: fromHost(this.hostJson.extensions?.queues?.maxPollingInterval, 60_000),
    };
    const controlPoller = new Poller(
      'orchestrations',
      queuePass({
        queue: control,
        batchSize: 16,
        visibilityTimeoutSeconds,
        retryDelaySeconds: 1,
        log,
        // Like the extension: every message an orchestration has waiting goes into one episode.
        groupBy: (m) => m.body.instanceId,
        handleGroup: (group) => this.engine.processControl(group.map((m) => m.body)),
      }),
      intervals,
      log,
    );
    const workPoller = new Poller(
      'activities',
      queuePass({
        queue: work,
        batchSize: 16,
        visibilityTimeoutSeconds,
        retryDelaySeconds: 1,
        log,
        handle: (m) => this.engine.runWorkItem(m.body),
      }),
      intervals,
      log,
    );
    const timerPoller = new Poller('durable timers', () => this.engine.fireDueTimers(), intervals, log);
    this.pollers.push(controlPoller, workPoller, timerPoller);
    this.engine.onWork = () => {
      controlPoller.kick();
      workPoller.kick();
    };
    this.clock.onAdvance(() => timerPoller.kick());
    for (const fn of this.registry.ofTriggerType('queueTrigger'))
      this.pollers.push(this.queueTriggerPoller(fn, queueIntervals));
    const cronPoller = this.timerTriggerPoller();
    if (cronPoller) {
      this.pollers.push(cronPoller);
      this.clock.onAdvance(() => cronPoller.kick());
    }
    await this.engine.recover();
    this.pollers.forEach((p) => p.start());
  }

  /** Storage queue triggers: base64 messages, dequeue count, back-off, and `<queue>-poison` after maxDequeueCount. */
  private queueTriggerPoller(
    fn: RegisteredFunction,
    intervals: { minIntervalMs: number; maxIntervalMs: number },
  ): Poller {
    const queueName = resolveSetting(bindingString(fn.trigger.queueName));
    if (!queueName)
      throw new Error(
        `${fn.name}: its queue name "${bindingString(fn.trigger.queueName)}" resolves to nothing; set that app setting`,
      );
    const connection = storageConnectionFromSettings(
      bindingString(fn.trigger.connection) || 'AzureWebJobsStorage',
    );
    const client = createQueueClient(connection, queueName);
    const poison = createQueueClient(connection, `${queueName}-poison`);
    const maxDequeue = this.hostJson.extensions?.queues?.maxDequeueCount ?? 5;
    // Storage takes whole seconds for a visibility timeout.
    const retrySeconds = Math.max(
      1,
      Math.ceil(timeSpanSeconds(this.hostJson.extensions?.queues?.visibilityTimeout, 1)),
    );
    let ensured = false;
    return new Poller(
      `queue ${queueName}`,
      async () => {
        if (!ensured) {
          await client.createIfNotExists();
          ensured = true;
        }
        const { receivedMessageItems: items } = await client.receiveMessages({
          numberOfMessages: 16,
          // A queue-triggered function may take a while (a PSA that retries): a longer lease.
          visibilityTimeout: Math.max(60, this.options.visibilityTimeoutSeconds),
        });
        await Promise.all(
          items.map(async (m) => {
            const text = decodeQueueText(m.messageText);
            try {
              await invokeFunction(
                this.registry,
                fn,
                [{ name: fn.triggerName, data: { string: text } }, ...this.extraInputs(fn)],
                this.options.log,
                {
                  Id: { string: m.messageId },
                  DequeueCount: { int: m.dequeueCount },
                  InsertionTime: { string: m.insertedOn.toISOString() },
                  ExpirationTime: { string: m.expiresOn.toISOString() },
                  PopReceipt: { string: m.popReceipt },
                },
              );
              await client.deleteMessage(m.messageId, m.popReceipt);
            } catch (err) {
              const reason = err instanceof Error ? err.message : String(err);
              if (m.dequeueCount >= maxDequeue) {
                await poison.createIfNotExists();
                await poison.sendMessage(m.messageText, { messageTimeToLive: -1 });
                await client.deleteMessage(m.messageId, m.popReceipt);
                this.options.log(
                  'error',
                  `${fn.name}: message ${m.messageId} failed ${m.dequeueCount} times and moved to ${queueName}-poison: ${reason}`,
                );
              } else {
                this.options.log(
                  'warning',
                  `${fn.name}: message ${m.messageId} failed (try ${m.dequeueCount} of ${maxDequeue}): ${reason}`,
                );
                await client
                  .updateMessage(m.messageId, m.popReceipt, undefined, retrySeconds)
                  .catch(() => undefined);
              }
            }
          }),
        );
        return items.length;
      },
      intervals,
      this.options.log,
    );
  }

  /** Timer triggers on NCRONTAB schedules (six fields, seconds first), evaluated on the runtime's clock in UTC. */
  private timerTriggerPoller(): Poller | undefined {
    const timers = this.registry.ofTriggerType('timerTrigger').map((fn) => {
      const schedule = resolveSetting(bindingString(fn.trigger.schedule));
      const next = () =>
        CronExpressionParser.parse(schedule, { currentDate: new Date(this.clock.now()), tz: 'UTC' })
          .next()
          .getTime();
      return {
        fn,
        schedule,
        last: this.clock.now(),
        due: next(),
        next,
        runOnStartup: fn.trigger.runOnStartup === true,
      };
    });
    if (timers.length === 0) return undefined;
    return new Poller(
      'timer triggers',
      async () => {
        let ran = 0;
        for (const t of timers) {
          const now = this.clock.now();
          if (!t.runOnStartup && now < t.due) continue;
          const isPastDue = now - t.due > 60_000 && !t.runOnStartup;
          t.runOnStartup = false;
          const input = {
            Schedule: { AdjustForDST: true },
            ScheduleStatus: {
              Last: new Date(t.last).toISOString(),
              Next: new Date(t.due).toISOString(),
              LastUpdated: new Date(now).toISOString(),
            },
            IsPastDue: isPastDue,
          };
          t.last = now;
          t.due = t.next();
          ran++;
          try {
            await invokeFunction(
              this.registry,
              t.fn,
              [
                { name: t.fn.triggerName, data: { string: JSON.stringify(input) } },
                ...this.extraInputs(t.fn),
              ],
              this.options.log,
            );
          } catch (err) {
            this.options.log(
              'error',
              `${t.fn.name} failed: ${err instanceof Error ? err.message : String(err)}`,
            );
          }
        }
        return ran;
      },
      { minIntervalMs: 250, maxIntervalMs: 1000 },
      this.options.log,
    );
  }
}

const bindingString = (value: unknown): string => (typeof value === 'string' ? value : '');

function send(
  res: http.ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** The host decodes base64 message text; text that is not base64 is passed as it is. */
function decodeQueueText(text: string): string {
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0) {
    const decoded = Buffer.from(text, 'base64').toString('utf8');
    if (Buffer.from(decoded, 'utf8').toString('base64') === text) return decoded;
  }
  return text;
}

export { VirtualClock };
