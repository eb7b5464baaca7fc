import * as df from 'durable-functions';

import { AROUND_THE_CLOCK, DEFAULT_P1 } from '../../src/domain/aroundTheClock';
import type { Classification } from '../../src/domain/classification';
import { DEFAULT_LIFECYCLE, TICKET_EVENT, type TicketEvent } from '../../src/domain/lifecycle';
import { VirtualClock } from '../../src/local/clock';
import { DurableEngine } from '../../src/local/durable/engine';
import { MemoryDurableStore, MemoryQueue } from '../../src/local/durable/memoryStore';
import type { ControlMessage, WorkItem } from '../../src/local/durable/types';
import { createCoreApi, FunctionRegistry, installCoreApi } from '../../src/local/registry';
import { Activities, Orchestrations } from '../../src/names';
import type { TicketWorkflowInput } from '../../src/ports/ticketWorkflow';
import type { TicketActivities, TicketContext } from '../../src/workflow/activities/ticketActivities';
import type { TicketStatus } from '../../src/workflow/ticket/ticketWorkflow';

export type ActivityName = keyof TicketActivities;
export interface ActivityCall {
  name: ActivityName;
  input: Record<string, unknown>;
}

/** A Monday morning in UTC: every default deadline falls in business hours. */
export const MONDAY_9AM = Date.parse('2026-03-02T09:00:00.000Z');

export const clientContext = (overrides: Partial<TicketContext> = {}): TicketContext => ({
  clientId: 'acme',
  slaTier: 'standard',
  businessHours: AROUND_THE_CLOCK,
  lifecycle: DEFAULT_LIFECYCLE,
  p1: DEFAULT_P1,
  autoThreshold: 0.6,
  ...overrides,
});

export const classification = (overrides: Partial<Classification> = {}): Classification => ({
  category: 'password_reset',
  priority: 'P3',
  confidence: 0.9,
  route: 'auto',
  tier: 1,
  reasons: ['matched a documented request'],
  ...overrides,
});

const done = () => Promise.resolve();

/** A stub activity that fails every attempt. */
export const failWith = (message: string) => () => Promise.reject(new Error(message));

/** Stub activities: typed as the real ones, answering like them without any storage. */
export function defaultActivities(): TicketActivities {
  return {
    acknowledge: () => Promise.resolve({ sent: true, context: clientContext() }),
    classify: () => Promise.resolve(classification()),
    triage: () => Promise.resolve({ context: clientContext(), classification: classification() }),
    runPlaybook: () =>
      Promise.resolve({ ran: true as const, articleId: 'kb-reset', title: 'Reset your password' }),
    sendUpdate: done,
    escalate: done,
    updateTicket: done,
    notifyTier: done,
    recordOutcome: done,
    recordReply: done,
    readReply: () => Promise.resolve({ answer: 'unclear' as const }),
  };
}

/**
 * The real ticket orchestrator on the local Durable engine, with an in-memory store and queues,
 * stub activities and a virtual clock: no Azurite, no HTTP, every path in milliseconds.
 */
export class WorkflowHarness {
  readonly clock = new VirtualClock(MONDAY_9AM);
  private readonly allCalls: ActivityCall[] = [];
  /** The ticket the test is about; earlier tests' tickets keep running on the same clock. */
  private current = '';
  activities: TicketActivities = defaultActivities();
  private readonly control = new MemoryQueue<ControlMessage>();
  private readonly work = new MemoryQueue<WorkItem>();
  private readonly engine: DurableEngine;
  private started = 0;

  private constructor(registry: FunctionRegistry) {
    this.engine = new DurableEngine(
      registry,
      new MemoryDurableStore(),
      this.control,
      this.work,
      this.clock,
      () => {},
      { taskHub: 'unitHub' },
    );
  }

  private static instance: WorkflowHarness | undefined;

  /** One per process: the Functions core API, like the worker's, can host one app. */
  static get(): WorkflowHarness {
    if (WorkflowHarness.instance) return WorkflowHarness.instance;
    const registry = new FunctionRegistry();
    installCoreApi(createCoreApi(registry, () => {}));
    const harness = new WorkflowHarness(registry);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../src/functions/orchestrations/ticketOrchestrator');
    for (const name of Object.keys(Activities) as ActivityName[]) {
      df.app.activity(Activities[name], {
        handler: async (input: Record<string, unknown>) => {
          harness.allCalls.push({ name, input });
          const stub = harness.activities[name] as (input: unknown) => Promise<unknown>;
          return stub(input);
        },
      });
    }
    return (WorkflowHarness.instance = harness);
  }

  /**
   * A fresh ticket with these stubs; returns its instance id. `input` adds to the workflow input
   * (the intake's `acknowledgedAt`, the `version` the starter stamps); without it, version 1.
   */
  async start(
    activities: Partial<TicketActivities> = {},
    input: Partial<TicketWorkflowInput> = {},
  ): Promise<string> {
    this.activities = { ...defaultActivities(), ...activities };
    const instanceId = `ticket-${++this.started}`;
    this.current = instanceId;
    const started = await this.engine.start(
      Orchestrations.ticket,
      instanceId,
      JSON.stringify({ ticketId: instanceId, ...input }),
    );
    if (!started.ok) throw new Error(started.error);
    await this.drain();
    return instanceId;
  }

  async raise(instanceId: string, event: TicketEvent): Promise<void> {
    const result = await this.engine.raiseEvent(instanceId, TICKET_EVENT, JSON.stringify(event));
    if (result !== 'accepted') throw new Error(`raise on ${instanceId}: ${result}`);
    await this.drain();
  }

  /** Sends an event without letting the orchestration run: it arrives while the ticket is busy. */
  async raiseQuietly(instanceId: string, event: TicketEvent): Promise<void> {
    await this.engine.raiseEvent(instanceId, TICKET_EVENT, JSON.stringify(event));
  }

  /** Moves time forward, stopping at every durable timer on the way, as a real clock would. */
  async advance(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    await this.drain();
    for (;;) {
      const next = await this.engine.nextTimerAt();
      if (next === undefined || next > target) break;
      if (next > this.clock.now()) this.clock.advance(next - this.clock.now());
      await this.drain();
    }
    if (target > this.clock.now()) this.clock.advance(target - this.clock.now());
    await this.drain();
  }

  /**
   * Lets time reach the next durable timer and the orchestration react to it, but runs none of
   * the activities it schedules: the ticket is busy until the next `drain`.
   */
  async fireNextTimer(): Promise<void> {
    const next = await this.engine.nextTimerAt();
    if (next === undefined) throw new Error('no timer is pending');
    if (next > this.clock.now()) this.clock.advance(next - this.clock.now());
    await this.engine.fireDueTimers();
    for (const message of this.control.takeAll()) await this.engine.processControl(message);
  }

  /** Runs every episode and activity that is due, until nothing is left. */
  async drain(): Promise<void> {
    for (let rounds = 0; ; rounds++) {
      if (rounds > 10_000) throw new Error('drain: the workflow does not settle');
      const fired = await this.engine.fireDueTimers();
      const messages = this.control.takeAll();
      const byInstance = new Map<string, ControlMessage[]>();
      for (const m of messages) byInstance.set(m.instanceId, [...(byInstance.get(m.instanceId) ?? []), m]);
      for (const batch of byInstance.values()) await this.engine.processControl(batch);
      const items = this.work.takeAll();
      for (const item of items) await this.engine.runWorkItem(item);
      if (fired === 0 && messages.length === 0 && items.length === 0) return;
    }
  }

  async status(
    instanceId: string,
  ): Promise<{ runtimeStatus: string; custom: TicketStatus; output: unknown }> {
    const loaded = await this.engine.status(instanceId);
    if (!loaded) throw new Error(`no instance ${instanceId}`);
    const { runtimeStatus, customStatus, output } = loaded.state;
    return {
      runtimeStatus,
      custom: (customStatus ? JSON.parse(customStatus) : undefined) as TicketStatus,
      output: output ? (JSON.parse(output) as unknown) : undefined,
    };
  }

  /** The activities called for the current ticket, in order. */
  get calls(): ActivityCall[] {
    return this.allCalls.filter((c) => c.input.ticketId === this.current);
  }

  /** The activities called so far, as `name` or `name:step` for those that take a step. */
  steps(): string[] {
    return this.calls.map((c) => (typeof c.input.step === 'string' ? `${c.name}:${c.input.step}` : c.name));
  }

  inputsOf(name: ActivityName): Record<string, unknown>[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.input);
  }
}
