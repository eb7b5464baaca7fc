import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';

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
import { serveEventGrid } from './eventGridWebhook';
import { type HostJson, resolveSetting } from './hostJson';
import { invokeFunction, type Logger } from './invoke';
import { loadApp } from './loadApp';
import { type MountHandler, readBody, send } from './mounts';
import { Poller, queuePass } from './poller';
import type { FunctionRegistry, RegisteredFunction } from './registry';
import { type CompiledRoute, compileRoute } from './routes';
import { timeSpanSeconds } from './timeSpan';
import { queueTriggerPoller, timerTriggerPoller, type TriggerHost } from './triggers';

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

const MAX_HTTP_BODY = 100 * 1024 * 1024; // the Functions host's own request limit

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
      return serveEventGrid(this.triggerHost(), req, res, url, body);
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

  private triggerHost(): TriggerHost {
    return {
      registry: this.registry,
      clock: this.clock,
      log: this.options.log,
      hostJson: this.hostJson,
      visibilityTimeoutSeconds: this.options.visibilityTimeoutSeconds,
      extraInputs: (fn) => this.extraInputs(fn),
    };
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
    // The extension's defaults for maxConcurrentActivityFunctions and
    // maxConcurrentOrchestratorFunctions: 10 per core.
    const maxInFlight = 10 * availableParallelism();
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
        maxInFlight,
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
        maxInFlight,
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
      this.pollers.push(queueTriggerPoller(this.triggerHost(), fn, queueIntervals));
    const cronPoller = timerTriggerPoller(this.triggerHost());
    if (cronPoller) {
      this.pollers.push(cronPoller);
      this.clock.onAdvance(() => cronPoller.kick());
    }
    await this.engine.recover();
    this.pollers.forEach((p) => p.start());
  }
}

export { VirtualClock };
