import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { maskedEvent } from '../../domain/events';
import { TICKET_EVENT, TICKET_WORKFLOW_VERSION, type TicketEvent } from '../../domain/lifecycle';
import { orchestrationInstanceId } from '../../domain/ticket';
import { Orchestrations } from '../../names';
import type {
  RaiseResult,
  TicketWorkflow,
  TicketWorkflowInput,
  WorkflowDetails,
  WorkflowHistoryEvent,
  WorkflowMonitor,
  WorkflowRuntimeStatus,
  WorkflowSummary,
} from '../../ports/ticketWorkflow';

/**
 * The durable client input binding every function that starts or reads orchestrations declares
 * (the functions take it from the composition root).
 */
export const durableClientInput = df.input.durableClient();

const FINISHED = new Set<string>([
  df.OrchestrationRuntimeStatus.Completed,
  df.OrchestrationRuntimeStatus.Failed,
  df.OrchestrationRuntimeStatus.Terminated,
]);

const isNotFound = (err: unknown) => err instanceof Error && /\b404\b/.test(err.message);

export function durableTicketWorkflow(context: InvocationContext): TicketWorkflow {
  const client = df.getClient(context);
  const status = async (ticketId: string) => {
    try {
      return await client.getStatus(orchestrationInstanceId(ticketId));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  return {
    async ensureStarted(input: TicketWorkflowInput, options?: { newTicket?: boolean }) {
      const instanceId = orchestrationInstanceId(input.ticketId);
      // A finished instance would be started over, so a ticket seen before is looked up first.
      if (!options?.newTicket && (await status(input.ticketId))) return { started: false };
      try {
        await client.startNew(Orchestrations.ticket, {
          instanceId,
          input: { ...input, version: TICKET_WORKFLOW_VERSION } satisfies TicketWorkflowInput,
        });
      } catch (err) {
        // Two deliveries of one ticket raced: the other started it. Starting is idempotent.
        if (err instanceof Error && /\b409\b|already exists/i.test(err.message)) return { started: false };
        throw err;
      }
      return { started: true };
    },
    async customStatus(ticketId: string) {
      return (await status(ticketId))?.customStatus;
    },
    async raise(ticketId: string, event: TicketEvent): Promise<RaiseResult> {
      // The extension answers 410 to an event for a finished instance and durable-functions takes
      // that as delivered, so look first. (An instance that ends between the look and the raise
      // loses the event: its reopen window closed in that same instant.)
      const found = await status(ticketId);
      if (!found) return 'none';
      if (FINISHED.has(found.runtimeStatus)) return 'finished';
      try {
        await client.raiseEvent(orchestrationInstanceId(ticketId), TICKET_EVENT, maskedEvent(event));
        return 'delivered';
      } catch (err) {
        if (err instanceof Error && /No instance with ID/.test(err.message)) return 'none';
        throw err;
      }
    },
  };
}

const TICKET_INSTANCE = /^ticket-(T-\d{1,12})$/;

/** durable-functions types these as Dates but hands over the JSON strings. */
function summaryOf(status: df.DurableOrchestrationStatus, ticketId: string): WorkflowSummary {
  return {
    ticketId,
    runtimeStatus: String(status.runtimeStatus) as WorkflowRuntimeStatus,
    createdTime: new Date(status.createdTime).toISOString(),
    lastUpdatedTime: new Date(status.lastUpdatedTime).toISOString(),
    customStatus: status.customStatus,
  };
}

/**
 * The status API's history events (TaskScheduled already folded into its completion): the
 * activity, timer or event each concerns and when; event payloads, which may hold what the
 * requester wrote, are left out.
 */
function historyOf(events: unknown[] | undefined): WorkflowHistoryEvent[] {
  return (events ?? []).map((raw) => {
    const e = (raw ?? {}) as Record<string, unknown>;
    const text = (key: string) => (typeof e[key] === 'string' ? e[key] : undefined);
    const name = text('FunctionName') ?? text('Name');
    const detail = text('FireAt') ?? text('Reason') ?? text('OrchestrationStatus');
    return {
      type: text('EventType') ?? 'Unknown',
      at: text('Timestamp') ?? '',
      ...(name ? { name } : {}),
      ...(detail ? { detail } : {}),
    };
  });
}

type StatusWithHistory = df.DurableOrchestrationStatus & { historyEvents?: unknown[] };

/**
 * `getStatus(id, {showHistory: true})` drops the history: durable-functions 3.x reads `history`
 * where the status API answers `historyEvents` (Azure/azure-functions-durable-js#620). So this asks
 * the same API the client would (its local RPC endpoint, else the status URL with the system key
 * that the binding hands over), with the event inputs left out: they can hold what people wrote.
 */
async function statusWithHistory(
  context: InvocationContext,
  instanceId: string,
): Promise<StatusWithHistory | undefined> {
  const binding = context.extraInputs.get(durableClientInput) as {
    rpcBaseUrl?: string;
    managementUrls: { id: string; statusQueryGetUri: string };
  };
  const query = 'showHistory=true&showHistoryOutput=false&showInput=false';
  const url = binding.rpcBaseUrl
    ? new URL(`instances/${encodeURIComponent(instanceId)}?${query}`, binding.rpcBaseUrl).href
    : `${binding.managementUrls.statusQueryGetUri.replace(binding.managementUrls.id, encodeURIComponent(instanceId))}&${query}`;
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (res.status === 404) return undefined;
  if (res.status !== 200 && res.status !== 202)
    throw new Error(`the Durable status API answered ${res.status} for ${instanceId}`);
  return (await res.json()) as StatusWithHistory;
}

export function durableWorkflowMonitor(context: InvocationContext): WorkflowMonitor {
  const client = df.getClient(context);
  return {
    async list(query): Promise<WorkflowSummary[]> {
      const found = await client.getStatusBy({
        ...(query.createdFrom ? { createdTimeFrom: query.createdFrom } : {}),
        ...(query.runtimeStatus
          ? { runtimeStatus: query.runtimeStatus as df.OrchestrationRuntimeStatus[] }
          : {}),
      });
      return found.flatMap((status) => {
        const ticketId = TICKET_INSTANCE.exec(status.instanceId)?.[1];
        return ticketId ? [summaryOf(status, ticketId)] : [];
      });
    },
    async details(ticketId: string): Promise<WorkflowDetails | undefined> {
      const status = await statusWithHistory(context, orchestrationInstanceId(ticketId));
      if (!status) return undefined;
      return {
        ...summaryOf(status, ticketId),
        output: status.output,
        history: historyOf(status.historyEvents),
      };
    },
  };
}
