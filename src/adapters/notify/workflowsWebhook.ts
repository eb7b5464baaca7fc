import type { ChatWebhook } from '../../ports/alertDelivery';

/**
 * Posts to a Teams Workflows webhook ("When a Teams webhook request is received"), which answers
 * 202 Accepted. The URL is a secret (its `sig=` signs the trigger): no error or log here names it,
 * only what went wrong.
 */
export class WorkflowsWebhook implements ChatWebhook {
  constructor(private readonly timeoutMs = 10_000) {}

  async post(url: string, message: unknown): Promise<void> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new Error(describeFailure(err, this.timeoutMs));
    }
    // The body is not needed; reading it frees the connection.
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) throw new Error(`the webhook answered HTTP ${res.status}`);
  }
}

/** fetch's own errors can carry the host or the URL; only their kind and code are kept. */
function describeFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: unknown } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError')
    return `the webhook did not answer within ${timeoutMs / 1000} s`;
  const code =
    typeof e.cause?.code === 'string' && /^[A-Z0-9_]{2,40}$/.test(e.cause.code) ? e.cause.code : '';
  return `the webhook could not be reached${code ? ` (${code})` : ''}`;
}
