import type { AssistantAnswerOf, AssistantRequest, AssistantUse } from '../domain/assistant';

/**
 * The optional language-model assistant (issue 19). Every method answers `undefined` when there is
 * no usable answer: not configured for this use, over the client's daily budget, the breaker open,
 * a timeout, an error, or an answer that fails validation. Callers then go on with autotier's own
 * classifier and rules, so a ticket never waits on the assistant.
 */
export interface Assistant {
  ask<U extends AssistantUse>(request: AssistantRequest<U>): Promise<AssistantAnswerOf<U> | undefined>;
}

export type { AssistantAnswerOf } from '../domain/assistant';

/** One chat completion with a JSON object as its answer: what the adapter to a model does. */
export interface ChatModel {
  completeJson(messages: ChatMessage[], options: { maxTokens: number }): Promise<ChatResult>;
}

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface ChatResult {
  /** The message content as the model wrote it (JSON text, unvalidated). */
  content: string | null;
  tokens: number;
}

/** Calls, tokens and fallbacks, per client and day: the budget and the metrics read it. */
export interface AssistantUsageLedger {
  /** Tokens the client used on that UTC day (YYYY-MM-DD). */
  tokensOn(clientId: string, day: string): Promise<number>;
  /**
   * Records one use once per key (a retried activity overwrites its own row rather than count twice):
   * whether a request was sent, the tokens it cost, and whether autotier fell back.
   */
  record(entry: AssistantUsage): Promise<void>;
  /** Sums over the UTC days in [from, to). */
  totals(clientId: string, from: Date, to: Date): Promise<AssistantTotals>;
}

export interface AssistantUsage {
  clientId: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** Idempotency key: (ticket, step, use). */
  key: string;
  use: AssistantUse;
  calls: number;
  tokens: number;
  fallback: boolean;
  /** Why it fell back (`budget`, `breaker`, `timeout`, `error`, `invalid`), never the prompt or answer. */
  reason?: string;
}

export interface AssistantTotals {
  calls: number;
  tokens: number;
  fallbacks: number;
}
