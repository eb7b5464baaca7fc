import { randomUUID } from 'node:crypto';

import type { InvocationResponse, ParameterBinding, TypedData } from './coreTypes';
import type { FunctionRegistry, RegisteredFunction } from './registry';

export type Logger = (level: string, message: string) => void;

/**
 * What this process has run, for the bench: invocations by trigger type, and the time at least
 * one invocation was running (how Flex Consumption bills an on-demand instance).
 */
export const invocationStats = {
  byTrigger: {} as Record<string, number>,
  activeMs: 0,
  inflight: 0,
  activeSince: 0,
};

/**
 * Runs one invocation the way the worker does: the app's programming model turns RPC data into
 * arguments, calls the handler, and turns the result back into RPC data.
 */
export async function invokeFunction(
  registry: FunctionRegistry,
  fn: RegisteredFunction,
  inputData: ParameterBinding[],
  log: Logger,
  triggerMetadata: Record<string, TypedData> = {},
): Promise<InvocationResponse> {
  const stats = invocationStats;
  const type = String(fn.trigger.type);
  stats.byTrigger[type] = (stats.byTrigger[type] ?? 0) + 1;
  if (stats.inflight++ === 0) stats.activeSince = performance.now();
  try {
    return await invoke(registry, fn, inputData, log, triggerMetadata);
  } finally {
    if (--stats.inflight === 0) stats.activeMs += performance.now() - stats.activeSince;
  }
}

async function invoke(
  registry: FunctionRegistry,
  fn: RegisteredFunction,
  inputData: ParameterBinding[],
  log: Logger,
  triggerMetadata: Record<string, TypedData>,
): Promise<InvocationResponse> {
  const invocationId = randomUUID();
  const coreContext = {
    invocationId,
    request: { invocationId, functionId: fn.name, inputData, triggerMetadata },
    metadata: { name: fn.name, bindings: fn.bindings },
    state: 'preInvocationHooks' as 'preInvocationHooks' | 'postInvocationHooks' | 'invocation',
    log: (level: string, _category: string, message: string) => log(level, `[${fn.name}] ${message}`),
  };
  const model = registry.model().getInvocationModel(coreContext);
  const { context, inputs } = await model.getArguments();
  // As the worker does: pre-invocation hooks see the context and may replace the handler.
  const hookContext: Record<string, unknown> = {
    hookData: {},
    appHookData: {},
    invocationContext: context,
    inputs,
    functionCallback: fn.callback,
  };
  for (const hook of registry.hooks.get('preInvocation') ?? []) await hook(hookContext);
  coreContext.state = 'invocation';
  const result = await model.invokeFunction(
    context,
    hookContext.inputs as typeof inputs,
    hookContext.functionCallback as typeof fn.callback,
  );
  coreContext.state = 'postInvocationHooks';
  return model.getResponse(context, result);
}

export function fromTypedData(data: TypedData | null | undefined): unknown {
  if (!data) return undefined;
  if (data.json !== undefined && data.json !== null) return JSON.parse(data.json);
  if (data.string !== undefined && data.string !== null) return data.string;
  if (data.int !== undefined && data.int !== null) return Number(data.int);
  if (data.double !== undefined && data.double !== null) return data.double;
  if (data.bytes) return Buffer.from(data.bytes);
  return undefined;
}
