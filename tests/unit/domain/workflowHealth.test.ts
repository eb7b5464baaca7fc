import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { workflowProblems } from '../../../src/domain/workflowHealth';

const now = new Date('2026-03-02T12:00:00Z');
const at = (iso: string) => new Date(iso);

describe('workflowProblems', () => {
  it('names failed, never-started and stuck workflows, and leaves waiting ones alone', () => {
    const problems = workflowProblems(
      [
        {
          instanceId: 'ticket-T-1',
          runtimeStatus: 'Failed',
          createdTime: at('2026-03-02T09:00:00Z'),
          lastUpdatedTime: at('2026-03-02T09:05:00Z'),
        },
        {
          instanceId: 'ticket-T-2',
          runtimeStatus: 'Pending',
          createdTime: at('2026-03-02T11:00:00Z'),
          lastUpdatedTime: at('2026-03-02T11:00:00Z'),
        },
        {
          instanceId: 'ticket-T-3',
          runtimeStatus: 'Pending',
          createdTime: at('2026-03-02T11:50:00Z'),
          lastUpdatedTime: at('2026-03-02T11:50:00Z'),
        },
        {
          instanceId: 'ticket-T-4',
          runtimeStatus: 'Running',
          createdTime: at('2026-03-01T09:00:00Z'),
          lastUpdatedTime: at('2026-03-01T10:00:00Z'),
          customStatus: { phase: 'awaiting', nextDeadline: '2026-03-02T10:00:00.000Z' },
        },
        {
          instanceId: 'ticket-T-5',
          runtimeStatus: 'Running',
          createdTime: at('2026-03-01T09:00:00Z'),
          lastUpdatedTime: at('2026-03-01T10:00:00Z'),
          customStatus: { phase: 'awaiting', nextDeadline: '2026-03-03T10:00:00.000Z' },
        },
        {
          instanceId: 'ticket-T-6',
          runtimeStatus: 'Running',
          createdTime: at('2026-03-01T09:00:00Z'),
          lastUpdatedTime: at('2026-03-02T11:45:00Z'),
          customStatus: { phase: 'escalated', nextDeadline: '2026-03-02T11:40:00.000Z' },
        },
      ],
      now,
    );
    assert.deepEqual(
      problems.map((p) => [p.instanceId, p.kind]),
      [
        ['ticket-T-1', 'failed'],
        ['ticket-T-2', 'not_started'],
        ['ticket-T-4', 'stuck'],
      ],
    );
  });
});
