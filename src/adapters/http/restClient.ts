/**
 * The HTTP layer the PSA and Graph adapters share: JSON in and out, a timeout per call, and retries with
 * back-off on throttling (429, honouring Retry-After) and server errors (5xx). Errors name the
 * vendor, method, path and status, never the credentials or the body.
 */
export class RestApiError extends Error {
  constructor(
    readonly vendor: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RestApiError';
  }
}

export interface RestClientOptions {
  vendor: string;
  baseUrl: string;
  /** Headers for each call (credentials); async so OAuth tokens can be fetched and refreshed. */
  headers: () => Promise<Record<string, string>> | Record<string, string>;
  timeoutMs?: number;
  maxAttempts?: number;
  /** Upper bound on any one wait, whatever Retry-After asks for. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export class RestClient {
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: RestClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.sleep = options.sleep ?? wait;
    this.fetchImpl = options.fetch ?? fetch;
  }

  get vendor(): string {
    return this.options.vendor;
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async bytes(method: string, path: string): Promise<Buffer> {
    const res = await this.send(method, path);
    return Buffer.from(await res.arrayBuffer());
  }

  /** A call that answers 404 gives undefined rather than an error. */
  async maybe<T>(method: string, path: string): Promise<T | undefined> {
    try {
      return await this.json<T>(method, path);
    } catch (err) {
      if (err instanceof RestApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const url = `${this.options.baseUrl.replace(/\/$/, '')}${path}`;
    for (let attempt = 1; ; attempt++) {
      let res: Response | undefined;
      let failure: string;
      try {
        res = await this.fetchImpl(url, {
          method,
          headers: {
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(await this.options.headers()),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (res.ok) return res;
        failure = `${this.vendor} ${method} ${path} answered ${res.status}`;
      } catch (err) {
        failure = `${this.vendor} ${method} ${path} failed: ${(err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message}`;
      }
      const status = res?.status ?? 0;
      const retryable = status === 0 || status === 429 || status >= 500;
      if (!retryable || attempt >= this.maxAttempts) {
        await res?.body?.cancel();
        throw new RestApiError(this.vendor, status, failure);
      }
      const asked = retryAfterMs(res?.headers.get('retry-after') ?? null);
      await res?.body?.cancel();
      const backoff = Math.min(this.maxDelayMs, 500 * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
      await this.sleep(Math.min(this.maxDelayMs, asked ?? backoff));
    }
  }
}
