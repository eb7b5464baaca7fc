/**
 * Table Storage caps a string property at 32K UTF-16 units; an entity may hold 1 MB. Larger JSON
 * is split across numbered properties.
 */
const CHUNK = 30_000;
const MAX_CHUNKS = 30;

export function toChunks(json: string): Record<string, string | number> {
  const parts = Math.max(1, Math.ceil(json.length / CHUNK));
  if (parts > MAX_CHUNKS)
    throw new Error(
      `payload of ${json.length} characters is too large for the local durable store; pass references, not whole documents`,
    );
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
