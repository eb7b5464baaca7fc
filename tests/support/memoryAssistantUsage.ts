import { dayOf } from '../../src/domain/assistant';
import type { AssistantTotals, AssistantUsage, AssistantUsageLedger } from '../../src/ports/assistant';

/** The usage ledger in memory, keyed like the table: one entry per (client, day, key). */
export class MemoryAssistantUsage implements AssistantUsageLedger {
  readonly rows = new Map<string, AssistantUsage>();

  record(entry: AssistantUsage): Promise<void> {
    this.rows.set(`${entry.clientId}|${entry.day}|${entry.key}`, entry);
    return Promise.resolve();
  }

  tokensOn(clientId: string, day: string): Promise<number> {
    return Promise.resolve(
      [...this.rows.values()]
        .filter((r) => r.clientId === clientId && r.day === day)
        .reduce((n, r) => n + r.tokens, 0),
    );
  }

  totals(clientId: string, from: Date, to: Date): Promise<AssistantTotals> {
    const [first, last] = [dayOf(from), dayOf(new Date(to.getTime() - 1))];
    const rows = [...this.rows.values()].filter(
      (r) => r.clientId === clientId && r.day >= first && r.day <= last,
    );
    return Promise.resolve({
      calls: rows.reduce((n, r) => n + r.calls, 0),
      tokens: rows.reduce((n, r) => n + r.tokens, 0),
      fallbacks: rows.filter((r) => r.fallback).length,
    });
  }

  /** The fallback reasons recorded, in order. */
  get reasons(): string[] {
    return [...this.rows.values()].map((r) => r.reason ?? 'answered');
  }
}
