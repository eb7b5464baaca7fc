import {
  type AssistantAnswerOf,
  type AssistantRequest,
  type AssistantUse,
  dayOf,
  MAX_ANSWER_TOKENS,
  parseAnswer,
  promptFor,
} from '../../domain/assistant';
import { type BreakerSettings, CircuitBreaker } from '../../domain/circuitBreaker';
import type { Assistant, AssistantUsageLedger, ChatModel } from '../../ports/assistant';
import { failureKind } from './azureOpenAiChat';

export interface GuardedAssistantOptions {
  chat: ChatModel;
  usage: AssistantUsageLedger;
  /** Tokens each client may use per UTC day. */
  dailyTokens: number;
  breaker?: BreakerSettings;
  now?: () => Date;
  /** Where fallbacks are reported: the use and the reason only, never a prompt or an answer. */
  warn?: (message: string) => void;
}

export const DEFAULT_BREAKER: BreakerSettings = { failures: 3, openMs: 60_000 };

/**
 * The assistant with its guard rails: a client's daily token budget (kept in a table, so it holds
 * across instances), a circuit breaker, redaction of secrets and people (in `promptFor`), and a
 * validated answer or none. Every use is recorded once per key: calls, tokens, fallbacks.
 * Nothing here throws to the caller: a failure is a fallback.
 */
export class GuardedAssistant implements Assistant {
  private readonly breaker: CircuitBreaker;
  private readonly now: () => Date;
  private readonly warn: (message: string) => void;

  constructor(private readonly options: GuardedAssistantOptions) {
    this.now = options.now ?? (() => new Date());
    this.breaker = new CircuitBreaker(options.breaker ?? DEFAULT_BREAKER, () => this.now().getTime());
    this.warn = options.warn ?? ((m) => console.warn(m));
  }

  get breakerState() {
    return this.breaker.state;
  }

  async ask<U extends AssistantUse>(request: AssistantRequest<U>): Promise<AssistantAnswerOf<U> | undefined> {
    const { chat, usage, dailyTokens } = this.options;
    const day = dayOf(this.now());
    const messages = promptFor(request);
    const maxTokens = MAX_ANSWER_TOKENS[request.use];
    // About four characters a token: the prompt's cost is known before it is sent.
    const estimate = Math.ceil(messages.reduce((n, m) => n + m.content.length, 0) / 4) + maxTokens;
    const record = async (calls: number, tokens: number, reason?: string) => {
      if (reason) this.warn(`assistant ${request.use} fell back to autotier's own rules: ${reason}`);
      try {
        await usage.record({
          clientId: request.clientId,
          day,
          key: `${request.key}.${request.use}`,
          use: request.use,
          calls,
          tokens,
          fallback: reason !== undefined,
          ...(reason ? { reason } : {}),
        });
      } catch (err) {
        this.warn(`assistant usage could not be recorded: ${failureKind(err)}`);
      }
    };

    let used: number;
    try {
      used = await usage.tokensOn(request.clientId, day);
    } catch (err) {
      this.warn(`assistant budget could not be read: ${failureKind(err)}`);
      return undefined;
    }
    if (used + estimate > dailyTokens) {
      await record(0, 0, 'budget');
      return undefined;
    }
    if (!this.breaker.allow()) {
      await record(0, 0, 'breaker');
      return undefined;
    }
    let content: string | null;
    let tokens: number;
    try {
      ({ content, tokens } = await chat.completeJson(messages, { maxTokens }));
    } catch (err) {
      this.breaker.failure();
      await record(1, 0, failureKind(err));
      return undefined;
    }
    this.breaker.success();
    const answer = parseAnswer(request.use, content);
    await record(1, tokens, answer ? undefined : 'invalid');
    return answer;
  }
}
