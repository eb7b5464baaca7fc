import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { MAX_MAIL_BYTES } from '../domain/mail';
import { verifyBasic } from '../domain/webhookAuth';
import { jsonError, readBodyBytes } from '../http/httpHelpers';
import type { IntakeQueue } from '../ports/intakeQueue';
import type { MailStore } from '../ports/mailStore';

export interface MailInboundDeps {
  store: Pick<MailStore, 'putRaw'>;
  /** AUTOTIER_MAIL_INTAKE_SECRETS: the Basic `user:password` pairs; none means intake is off. */
  secrets: string[];
  intake: IntakeQueue;
  now: () => Date;
}

/**
 * The raw MIME of one mail, from the body (message/rfc822, text/plain) or from the `email` field of
 * a multipart form (SendGrid Inbound Parse in raw mode).
 */
async function mimeFrom(req: HttpRequest, body: Buffer): Promise<Buffer | undefined> {
  // Multipart boundaries are case-sensitive (SendGrid's is `xYzZY`): only the type is compared
  // without case; the header goes to the parser as it came.
  const type = req.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) return body;
  const form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
  const email = form.get('email');
  if (typeof email === 'string') return Buffer.from(email, 'utf8');
  return email ? Buffer.from(await email.arrayBuffer()) : undefined;
}

/** One mail as raw MIME, with Basic auth: kept in Blob, taken in from the intake queue. */
export function mailInboundHandler(deps: MailInboundDeps): HttpHandler {
  return async function mailInbound(req: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    if (deps.secrets.length === 0) return jsonError(404, 'mail intake is not configured');
    // Credentials first: nobody gets to make us read 25 MB without them.
    if (!verifyBasic(req.headers.get('authorization'), deps.secrets)) return jsonError(401, 'unauthorized');
    const body = await readBodyBytes(req, MAX_MAIL_BYTES);
    if (!body.ok) return body.response;
    let mime: Buffer | undefined;
    try {
      mime = await mimeFrom(req, body.bytes);
    } catch {
      return jsonError(400, 'the multipart form could not be read');
    }
    if (!mime || mime.length === 0)
      return jsonError(400, 'no mail in the request: send raw MIME, or a form with an email field');
    if (!/^[\x21-\x39\x3b-\x7e]+:/m.test(mime.subarray(0, 4096).toString('latin1')))
      return jsonError(400, 'the body is not a MIME message (no header lines)');
    const blob = await deps.store.putRaw(mime);
    const eventId = blob.slice(4, 68);
    await deps.intake.send({ source: 'mail', eventId, blob, receivedAt: deps.now().toISOString() });
    context.log(`mail intake: accepted ${mime.length} bytes`);
    context.log(`mail intake: accepted ${mime.length} bytes`);
    return { status: 202, jsonBody: { accepted: true, id: eventId } };
  };
}
