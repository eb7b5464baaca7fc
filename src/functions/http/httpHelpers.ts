import type { HttpRequest, HttpResponseInit } from '@azure/functions';

export const jsonError = (status: number, error: string): HttpResponseInit => ({
  status,
  jsonBody: { error },
});

export type BodyResult = { ok: true; value: unknown } | { ok: false; response: HttpResponseInit };

/** Reads a JSON body, refusing anything over `limit` bytes before parsing it. */
export async function readJsonBody(req: HttpRequest, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > limit)
    return { ok: false, response: jsonError(413, `request body is larger than ${limit} bytes`) };
  const bytes = Buffer.from(await req.arrayBuffer());
  if (bytes.length > limit)
    return { ok: false, response: jsonError(413, `request body is larger than ${limit} bytes`) };
  if (bytes.length === 0)
    return { ok: false, response: jsonError(400, 'request body is empty; send a JSON object') };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return { ok: false, response: jsonError(400, 'request body is not valid JSON') };
  }
}
