import type { HttpRequest, HttpResponseInit } from '@azure/functions';

export const jsonError = (status: number, error: string): HttpResponseInit => ({
  status,
  jsonBody: { error },
});

export type BytesResult = { ok: true; bytes: Buffer } | { ok: false; response: HttpResponseInit };

/** Reads the raw body, refusing anything over `limit` bytes (413), declared or actual. */
export async function readBodyBytes(req: HttpRequest, limit: number): Promise<BytesResult> {
  const tooLarge = {
    ok: false as const,
    response: jsonError(413, `request body is larger than ${limit} bytes`),
  };
  if (Number(req.headers.get('content-length') ?? '0') > limit) return tooLarge;
  const bytes = Buffer.from(await req.arrayBuffer());
  return bytes.length > limit ? tooLarge : { ok: true, bytes };
}

export type BodyResult = { ok: true; value: unknown } | { ok: false; response: HttpResponseInit };

/** Reads a JSON body, refusing anything over `limit` bytes before parsing it. */
export async function readJsonBody(req: HttpRequest, limit: number): Promise<BodyResult> {
  const body = await readBodyBytes(req, limit);
  if (!body.ok) return body;
  if (body.bytes.length === 0)
    return { ok: false, response: jsonError(400, 'request body is empty; send a JSON object') };
  try {
    return { ok: true, value: JSON.parse(body.bytes.toString('utf8')) as unknown };
  } catch {
    return { ok: false, response: jsonError(400, 'request body is not valid JSON') };
  }
}

/**
 * An id or value from outside, for a log line: bounded and with control characters escaped, so a
 * 5,000-character id or a forged line break cannot flood or forge the log.
 */
export function logSafe(value: string, max = 120): string {
  const cut = value.length > max ? `${value.slice(0, max)}…(${value.length} chars)` : value;
  return JSON.stringify(cut).slice(1, -1);
}
