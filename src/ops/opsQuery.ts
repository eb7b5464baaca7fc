import { z } from 'zod';

import type { ConversationEntry } from '../domain/escalation';
import {
  isTicketId,
  type Stage,
  STAGES,
  type Ticket,
  type TicketSummary,
  type TimelineEntry,
} from '../domain/ticket';
import type { AlertFailureRecord, TicketAlertLog } from '../ports/alertDelivery';
import type { ClientStore } from '../ports/clientStore';
import type { Notification } from '../ports/notifier';
import type { TicketStore } from '../ports/ticketStore';
import type {
  WorkflowDetails,
  WorkflowMonitor,
  WorkflowRuntimeStatus,
  WorkflowSummary,
} from '../ports/ticketWorkflow';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;
/** Durable's createdTime and the ticket's createdAt come from different clocks. */
const CLOCK_SLACK_MS = 60 * 60 * 1000;
const LIVE: WorkflowRuntimeStatus[] = ['Pending', 'Running', 'Suspended'];

const flag = z
  .enum(['', 'on', '1', 'true', '0', 'false'], { error: 'must be on, 1, true, 0 or false' })
  .transform((v) => v === 'on' || v === '1' || v === 'true');
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);

const filtersSchema = z
  .object({
    stage: z.preprocess(
      blankToUndefined,
      z.enum(STAGES, { error: `must be one of ${STAGES.join(', ')}` }).optional(),
    ),
    client: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a client id (lowercase letters, digits and hyphens)')
        .optional(),
    ),
    overdue: flag.default(false),
    failed: flag.default(false),
    before: z.preprocess(
      blankToUndefined,
      z.string().refine(isTicketId, 'must be a ticket id like T-1042').optional(),
    ),
    limit: z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ error: `must be a whole number from 1 to ${MAX_LIMIT}` })
        .int(`must be a whole number from 1 to ${MAX_LIMIT}`)
        .min(1, `must be a whole number from 1 to ${MAX_LIMIT}`)
        .max(MAX_LIMIT, `must be a whole number from 1 to ${MAX_LIMIT}`)
        .default(DEFAULT_LIMIT),
    ),
    // A function key in the query (`?code=`) is the host's business, not a filter.
    code: z.string().optional(),
  })
  .strict();

export interface OpsFilters {
  stage?: Stage;
  client?: string;
  overdue: boolean;
  failed: boolean;
  before?: string;
  limit: number;
}

export type FiltersResult = { ok: true; filters: OpsFilters } | { ok: false; error: string };

/** The list's query string; a bad value or an unknown name is named back (400). */
export function parseOpsFilters(query: URLSearchParams): FiltersResult {
  const raw: Record<string, string> = {};
  for (const [key, value] of query) {
    if (key in raw) return { ok: false, error: `${key}: give it once` };
    raw[key] = value;
  }
  const parsed = filtersSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys')
      return { ok: false, error: `unknown filter: ${issue.keys.join(', ')}` };
    return {
      ok: false,
      error: `${issue?.path.map(String).join('.') ?? 'query'}: ${issue?.message ?? 'invalid'}`,
    };
  }
  const { code: _code, stage, client, before, ...always } = parsed.data;
  // A blank form field leaves no key behind.
  return {
    ok: true,
    filters: {
      ...always,
      ...(stage ? { stage } : {}),
      ...(client ? { client } : {}),
      ...(before ? { before } : {}),
    },
  };
}

/** What the workflow says of itself: its custom status (`TicketStatus`) and runtime status. */
export interface WorkflowView {
  runtimeStatus: WorkflowRuntimeStatus;
  phase?: string;
  nextDeadline?: string;
  nextDeadlineIs?: string;
  lastUpdatedTime: string;
}

export interface OpsRow {
  ticketId: string;
  /** Absent for a workflow whose ticket is not stored (it failed before, or was started by hand). */
  ticket?: TicketSummary;
  workflow?: WorkflowView;
  /** A live workflow whose next deadline has passed: it should have woken and has not. */
  overdue: boolean;
}

export interface OpsList {
  rows: OpsRow[];
  clients: string[];
  /** Where the next page starts, for a list of one client. */
  next?: string;
  /** `window`: the newest tickets of each client; `workflows`: the instances Durable reports failed or live. */
  source: 'window' | 'workflows';
  /** The newest tickets of each client were cut at the limit (all clients at once: no paging). */
  truncated: boolean;
  now: string;
}

export interface OpsDeps {
  tickets: TicketStore;
  clients: ClientStore;
  monitor: WorkflowMonitor;
  now: () => Date;
}

export class UnknownClientError extends Error {}

function viewOf(summary: WorkflowSummary): WorkflowView {
  const status = (summary.customStatus ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof status[key] === 'string' ? status[key] : undefined);
  const nextDeadline = text('nextDeadline');
  const nextDeadlineIs = text('nextDeadlineIs');
  const phase = text('phase');
  return {
    runtimeStatus: summary.runtimeStatus,
    ...(phase ? { phase } : {}),
    ...(nextDeadline ? { nextDeadline } : {}),
    ...(nextDeadlineIs ? { nextDeadlineIs } : {}),
    lastUpdatedTime: summary.lastUpdatedTime,
  };
}

function pastDeadline(workflow: WorkflowView, now: Date): boolean {
  const due = workflow.nextDeadline ? Date.parse(workflow.nextDeadline) : NaN;
  return !Number.isNaN(due) && due < now.getTime();
}

/** A workflow that is still live but whose next deadline has passed: it should have woken and has not. */
export const isOverdue = (workflow: WorkflowView | undefined, now: Date): boolean =>
  !!workflow && LIVE.includes(workflow.runtimeStatus) && pastDeadline(workflow, now);

const ticketNumber = (ticketId: string) => Number(ticketId.slice(2));

/**
 * The ticket list. Reads stay bounded: without `failed` or `overdue`, the newest `limit` tickets of
 * each client (one client pages on with `before`) and one Durable instance query for the instances
 * created since the oldest of them; with `failed` or `overdue`, one Durable query for the failed or
 * live instances and the summaries of at most `limit` of their tickets.
 */
export async function listForOps(deps: OpsDeps, filters: OpsFilters): Promise<OpsList> {
  const now = deps.now();
  const known = (await deps.clients.list()).map((c) => c.clientId).sort();
  if (filters.client && !known.includes(filters.client))
    throw new UnknownClientError(`client ${filters.client} is not set up`);
  const clients = filters.client ? [filters.client] : known;
  if (filters.failed || filters.overdue) {
    const instances = await deps.monitor.list({ runtimeStatus: filters.failed ? ['Failed'] : LIVE });
    const wanted = instances
      .map((i) => ({ ticketId: i.ticketId, workflow: viewOf(i) }))
      .filter((i) => !filters.overdue || pastDeadline(i.workflow, now))
      .sort((a, b) => ticketNumber(b.ticketId) - ticketNumber(a.ticketId));
    const summaries = new Map(
      (await deps.tickets.summaries(wanted.slice(0, MAX_LIMIT).map((i) => i.ticketId))).map((s) => [
        s.ticketId,
        s,
      ]),
    );
    const rows = wanted
      .map((i): OpsRow => ({ ...i, ticket: summaries.get(i.ticketId), overdue: isOverdue(i.workflow, now) }))
      .filter((r) => !filters.client || r.ticket?.clientId === filters.client)
      .filter((r) => !filters.stage || r.ticket?.stage === filters.stage);
    return {
      rows: rows.slice(0, filters.limit),
      clients: known,
      source: 'workflows',
      truncated: rows.length > filters.limit,
      now: now.toISOString(),
    };
  }
  const pages = await Promise.all(
    clients.map((clientId) =>
      deps.tickets.list({
        clientId,
        limit: filters.limit,
        ...(filters.client && filters.before ? { before: filters.before } : {}),
        ...(filters.stage ? { stage: filters.stage } : {}),
      }),
    ),
  );
  const tickets = pages
    .flatMap((p) => p.tickets)
    .sort((a, b) => ticketNumber(b.ticketId) - ticketNumber(a.ticketId));
  const oldest = tickets.reduce<number | undefined>((min, t) => {
    const at = Date.parse(t.createdAt);
    return min === undefined || at < min ? at : min;
  }, undefined);
  const workflows = new Map(
    oldest === undefined
      ? []
      : (await deps.monitor.list({ createdFrom: new Date(oldest - CLOCK_SLACK_MS) })).map((w) => [
          w.ticketId,
          viewOf(w),
        ]),
  );
  const next = filters.client ? pages[0]?.next : undefined;
  return {
    rows: tickets.map((ticket) => {
      const workflow = workflows.get(ticket.ticketId);
      return { ticketId: ticket.ticketId, ticket, workflow, overdue: isOverdue(workflow, now) };
    }),
    clients: known,
    ...(next ? { next } : {}),
    source: 'window',
    truncated: !filters.client && pages.some((p) => p.next !== undefined),
    now: now.toISOString(),
  };
}

export interface OpsTicketView {
  ticket: Ticket;
  timeline: TimelineEntry[];
  conversation: ConversationEntry[];
  workflow?: WorkflowDetails;
  alerts: { raised: Notification[]; failed: AlertFailureRecord[] };
  now: Date;
}

export interface OpsTicketDeps {
  tickets: TicketStore;
  monitor: WorkflowMonitor;
  alerts: TicketAlertLog;
  now: () => Date;
}

/** A ticket's page: the ticket, its timeline and conversation, its Durable instance, its alerts. */
export async function ticketForOps(
  deps: OpsTicketDeps,
  ticketId: string,
): Promise<OpsTicketView | undefined> {
  const ticket = await deps.tickets.get(ticketId);
  if (!ticket) return undefined;
  const [timeline, conversation, workflow, alerts] = await Promise.all([
    deps.tickets.timeline(ticket),
    deps.tickets.conversation(ticket),
    deps.monitor.details(ticketId),
    deps.alerts.alertsFor(ticketId),
  ]);
  return { ticket, timeline, conversation, workflow, alerts, now: deps.now() };
}
