import type http from 'node:http';

/** A request for a mounted handler: its body is read, and `url` is relative to the mount point. */
export interface MountedRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A local service served beside the app's functions on the runtime's own port (the Graph emulator
 * under `npm start`), the way a dev server mounts a mock API.
 */
export type MountHandler = (request: MountedRequest, res: http.ServerResponse) => void;

/** The request's body, or undefined once it passes `limit` bytes. */
export async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A JSON answer (or an empty one), as the runtime and its mounts send them. */
export function send(
  res: http.ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
