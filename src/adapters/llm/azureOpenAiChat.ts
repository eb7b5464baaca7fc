import { APIConnectionTimeoutError, APIError, AzureOpenAI } from 'openai';

import type { ChatMessage, ChatModel, ChatResult } from '../../ports/assistant';

export interface AzureOpenAiChatOptions {
  /** The resource, e.g. https://<name>.openai.azure.com */
  endpoint: string;
  deployment: string;
  apiVersion: string;
  /** Locally; in Azure the managed identity's token (`tokenProvider`) instead. */
  apiKey?: string;
  tokenProvider?: () => Promise<string>;
  /** Per request. */
  timeoutMs: number;
  /** Retries after a 429; each waits what Retry-After says, if that is at most `maxRetryWaitMs`. */
  maxRetries?: number;
  maxRetryWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** The default API version: the current generally available data-plane version for chat completions. */
export const DEFAULT_API_VERSION = '2024-10-21';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Chat completions with JSON output on the MSP's own Azure OpenAI deployment, through the `openai`
 * package's `AzureOpenAI` client (`POST {endpoint}/openai/deployments/{deployment}/chat/completions`).
 * The client's own retries are off: a 429 is retried here only when its Retry-After is short enough
 * for a ticket to wait, everything else fails at once and autotier falls back.
 */
export class AzureOpenAiChat implements ChatModel {
  private readonly client: AzureOpenAI;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: AzureOpenAiChatOptions) {
    if (!options.apiKey && !options.tokenProvider)
      throw new Error('Azure OpenAI needs an API key or a token provider');
    this.client = new AzureOpenAI({
      endpoint: options.endpoint,
      deployment: options.deployment,
      apiVersion: options.apiVersion,
      ...(options.apiKey ? { apiKey: options.apiKey } : { azureADTokenProvider: options.tokenProvider }),
      timeout: options.timeoutMs,
      maxRetries: 0,
    });
    this.sleep = options.sleep ?? defaultSleep;
  }

  async completeJson(messages: ChatMessage[], { maxTokens }: { maxTokens: number }): Promise<ChatResult> {
    const maxRetries = this.options.maxRetries ?? 2;
    const maxWait = this.options.maxRetryWaitMs ?? 5_000;
    for (let attempt = 0; ; attempt++) {
      try {
        const completion = await this.client.chat.completions.create({
          model: this.options.deployment,
          messages,
          response_format: { type: 'json_object' },
          max_tokens: maxTokens,
          temperature: 0,
        });
        return {
          content: completion.choices[0]?.message?.content ?? null,
          tokens: completion.usage?.total_tokens ?? 0,
        };
      } catch (err) {
        const wait =
          err instanceof APIError && err.status === 429
            ? retryAfterMs(err.headers as Headers | undefined)
            : undefined;
        if (wait === undefined || wait > maxWait || attempt >= maxRetries) throw err;
        await this.sleep(wait);
      }
    }
  }
}

/** Retry-After in milliseconds (`retry-after-ms`, or `retry-after` as seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What went wrong, in words safe to log: a kind and a status, never a message body. */
export function failureKind(err: unknown): string {
  if (err instanceof APIConnectionTimeoutError) return 'timeout';
  if (err instanceof APIError) return err.status ? `http ${err.status}` : 'connection';
  return err instanceof Error ? err.name : 'error';
}
