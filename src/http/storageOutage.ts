import type { HttpResponseInit } from '@azure/functions';

/** Connection-level failures: the storage account (or Azurite) could not be reached at all. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'REQUEST_SEND_ERROR',
]);

/**
 * Is this error storage being unavailable (unreachable, busy, timing out) rather than a bug or
 * bad input? Looks through the error's cause chain, as the SDKs wrap network errors.
 */
export function storageUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, statusCode, cause } = e as { code?: unknown; statusCode?: unknown; cause?: unknown };
    if (typeof code === 'string' && UNREACHABLE.has(code)) return true;
    if (
      statusCode === 503 ||
      (statusCode === 500 && (code === 'OperationTimedOut' || code === 'InternalError'))
    )
      return true;
    e = cause;
  }
  return false;
}

/** What a caller gets while storage is unavailable: come back soon, nothing was taken. */
export const STORAGE_UNAVAILABLE: HttpResponseInit = {
  status: 503,
  headers: { 'retry-after': '30' },
  jsonBody: {
    error: 'autotier cannot reach its storage for the moment; nothing was taken, try again shortly',
  },
};

/** Wraps an HTTP handler so a storage outage answers 503 with Retry-After instead of a 500. */
export function guardStorageOutage<A extends unknown[]>(
  handler: (...args: A) => unknown,
): (...args: A) => Promise<unknown> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (err) {
      if (storageUnavailable(err)) return STORAGE_UNAVAILABLE;
      throw err;
    }
  };
}
