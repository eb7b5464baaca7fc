/**
 * Table Storage caps a string property at 64 KiB (32K UTF-16 units) and an entity at 1 MiB. Larger
 * JSON is split across numbered properties `d0`, `d1`... with their count in `n`; 16 chunks of
 * 30,000 characters stay inside an entity even when every character takes two bytes.
 */
const CHUNK = 30_000;
export const MAX_CHUNKED_CHARS = 16 * CHUNK;

export class EntityTooLargeError extends Error {}

export function toChunks(json: string): Record<string, string | number> {
  if (json.length > MAX_CHUNKED_CHARS)
    throw new EntityTooLargeError(
      `a document of ${json.length} characters does not fit in a table entity (${MAX_CHUNKED_CHARS} at most); pass references, not whole documents`,
    );
  const parts = Math.max(1, Math.ceil(json.length / CHUNK));
  const out: Record<string, string | number> = { n: parts };
  for (let i = 0; i < parts; i++) out[`d${i}`] = json.slice(i * CHUNK, (i + 1) * CHUNK);
  return out;
}

export function fromChunks(entity: Record<string, unknown>): string {
  const parts = Number(entity.n ?? 0);
  let json = '';
  for (let i = 0; i < parts; i++) {
    const part = entity[`d${i}`];
    json += typeof part === 'string' ? part : '';
  }
  return json;
}
