/** An instance's state at its start, and at the start of each next generation. */
import { randomUUID } from 'node:crypto';

import type { InstanceState, OutboxItem } from './types';

/** A new instance, Pending until its ExecutionStarted (already in its outbox) is handled. */
export function newInstance(name: string, instanceId: string, inputJson: string, now: string): InstanceState {
  const executionId = randomUUID();
  return {
    instanceId,
    name,
    executionId,
    runtimeStatus: 'Pending',
    input: inputJson,
    output: 'null',
    customStatus: 'null',
    createdTime: now,
    lastUpdatedTime: now,
    nextSeq: 0,
    historyCount: 0,
    actions: [],
    pending: {},
    processed: [],
    outbox: [
      {
        kind: 'control',
        message: {
          messageId: randomUUID(),
          instanceId,
          executionId,
          event: { type: 'ExecutionStarted', name, input: inputJson },
        },
      },
    ],
  };
}

/**
 * The next generation of a continue-as-new: a new execution that starts in this same commit, so
 * the instance is Running throughout and keeps its createdTime (as the extension reports it).
 */
export function nextGeneration(
  state: InstanceState,
  input: string,
  timestamp: string,
  outbox: OutboxItem[],
): InstanceState {
  const executionId = randomUUID();
  return {
    ...state,
    executionId,
    runtimeStatus: 'Running',
    createdTime: timestamp,
    input,
    output: 'null',
    nextSeq: 0,
    historyCount: 0,
    actions: [],
    pending: {},
    lastUpdatedTime: timestamp,
    outbox: [
      ...outbox,
      {
        kind: 'control',
        message: {
          messageId: randomUUID(),
          instanceId: state.instanceId,
          executionId,
          event: { type: 'ExecutionStarted', name: state.name, input },
        },
      },
    ],
  };
}
