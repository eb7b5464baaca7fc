import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { parseNewTicket } from '../domain/intake';
import { signStatusToken, statusPath, verifyFormToken } from '../domain/portal';
import type { Ticket } from '../domain/ticket';
import { logSafe } from '../http/httpHelpers';
import { acknowledgeAndStart, type AcknowledgeNow } from '../intake/acknowledgeAtOnce';
import { escapeHtml } from '../ops/html';
import type { ClientStore } from '../ports/clientStore';
import type { MailStore } from '../ports/mailStore';
import type { TicketStore } from '../ports/ticketStore';
import type { TicketWorkflow } from '../ports/ticketWorkflow';
import type { TokenStore } from '../ports/tokenStore';
import { callerIp, RATE_LIMITS, withinRateLimits } from './portalAccess';
import { admit, field, portalError, portalPage, readForm, wantsJson } from './portalHttp';
import { formPage, portalBase } from './portalPages';

export interface PortalFileDeps {
  tickets: TicketStore;
  clients: Pick<ClientStore, 'get'>;
  tokens: TokenStore;
  attachments: Pick<MailStore, 'putAttachment'>;
  workflow: (context: InvocationContext) => TicketWorkflow;
  /** Sends the acknowledgement while the requester waits (`acknowledgeAtOnce`). */
  acknowledge: AcknowledgeNow;
  linkSigningKey: string;
  publicBaseUrl: string;
  easyAuth: boolean;
  now: () => Date;
}

export const MAX_PORTAL_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** The attachment and the form's text fields (description up to 20,000 characters). */
const MAX_PORTAL_FORM_BYTES = MAX_PORTAL_ATTACHMENT_BYTES + 256 * 1024;

/**
 * Files a ticket from the portal's form, through the same path as POST /api/tickets (an unknown
 * client refused, typed passwords masked by newTicket, idempotent on the form's visit), then shows
 * the ticket's status page (303). The status link is on the ticket before the workflow starts, so
 * the acknowledgement mail carries it.
 */
export function portalFileHandler(deps: PortalFileDeps) {
  return async function portalFile(req: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const admitted = await admit(req, deps.clients, deps.easyAuth);
    if (!admitted.ok) return admitted.response;
    const { client, access } = admitted;
    const read = await readForm(req, MAX_PORTAL_FORM_BYTES, client.name);
    if (!read.ok) return read.response;
    const form = read.form;
    const now = deps.now();
    const formToken = field(form, 'form');
    const visit = verifyFormToken(formToken, client.clientId, deps.linkSigningKey, now.getTime());
    if (!visit.ok)
      return portalError(
        req,
        403,
        client.name,
        'That form has expired',
        `form: ${visit.reason.replace('_', ' ')}; open the support page again`,
        `<p><a href="${escapeHtml(portalBase(client.clientId))}">Open the form again</a></p>`,
      );
    const values = {
      email: access.kind === 'signed-in' ? access.email : field(form, 'email').trim(),
      name: access.kind === 'signed-in' ? (access.name ?? '') : field(form, 'name').trim(),
      subject: field(form, 'subject'),
      description: field(form, 'description'),
    };
    const again = (status: number, error: string): HttpResponseInit =>
      wantsJson(req)
        ? { status, jsonBody: { error } }
        : portalPage(
            status,
            formPage({
              clientId: client.clientId,
              clientName: client.name,
              formToken,
              ...(access.kind === 'signed-in' ? { signedIn: access } : {}),
              values,
              error,
            }),
          );
    const parsed = parseNewTicket({
      clientId: client.clientId,
      requester: { email: values.email, ...(values.name ? { name: values.name } : {}) },
      subject: values.subject,
      body: values.description,
      externalId: visit.value,
    });
    if (!parsed.ok)
      return again(400, parsed.error.replace(/^requester\./, '').replace(/^body:/, 'description:'));
    const file = form.get('attachment');
    const attachment = file instanceof File && file.size > 0 ? file : undefined;
    if (attachment && attachment.size > MAX_PORTAL_ATTACHMENT_BYTES)
      return again(413, `attachment: must be at most ${MAX_PORTAL_ATTACHMENT_BYTES / 1024 / 1024} MB`);
    // Nobody vouches for a typed address: such submissions are limited per address and per IP.
    if (
      access.kind === 'anonymous' &&
      !(await withinRateLimits(deps.tokens, parsed.value.requester.email, callerIp(req), now))
    ) {
      const limited = again(
        429,
        `too many requests from here this hour (at most ${RATE_LIMITS.perAddressPerHour} per address and ${RATE_LIMITS.perIpPerHour} per network); please try again later or email us`,
      );
      return {
        ...limited,
        headers: { ...(limited.headers as Record<string, string>), 'retry-after': '3600' },
      };
    }

    const { ticket, created } = await deps.tickets.create(
      { ...parsed.value, externalId: `portal:${visit.value}`, channel: 'portal' },
      now,
    );
    const statusUrl = `${deps.publicBaseUrl}${statusPath(ticket.clientId, ticket.ticketId, signStatusToken(ticket, deps.linkSigningKey))}`;
    const extra: Partial<Ticket> = {};
    if (ticket.statusLink !== statusUrl) extra.statusLink = statusUrl;
    if (attachment) {
      const kept = {
        filename: (attachment.name || 'attachment').slice(0, 200),
        contentType: (attachment.type || 'application/octet-stream').slice(0, 100),
        size: attachment.size,
        blob: await deps.attachments.putAttachment(
          ticket.ticketId,
          (attachment.name || 'attachment').slice(0, 200),
          attachment.type || 'application/octet-stream',
          Buffer.from(await attachment.arrayBuffer()),
        ),
      };
      if (!(ticket.attachments ?? []).some((a) => a.blob === kept.blob)) extra.attachments = [kept];
    }
    const current =
      Object.keys(extra).length > 0
        ? await deps.tickets.update(
            ticket.ticketId,
            (t) => ({
              statusLink: statusUrl,
              ...(extra.attachments
                ? {
                    attachments: [
                      ...(t.attachments ?? []).filter(
                        (a) => !extra.attachments?.some((k) => k.blob === a.blob),
                      ),
                      ...extra.attachments,
                    ],
                  }
                : {}),
            }),
            now,
          )
        : ticket;
    // The status link is on the ticket the acknowledgement is written from.
    const { started } = await acknowledgeAndStart(
      deps.acknowledge,
      deps.workflow(context),
      current,
      created,
      (m) => context.warn(m),
    );
    context.log(
      `portal ticket ${ticket.ticketId} for client ${logSafe(ticket.clientId)}: ${created ? 'created' : 'repeat submission'}, orchestration ${started ? 'started' : 'already running'}`,
    );
    if (wantsJson(req)) return { status: 202, jsonBody: { ticketId: ticket.ticketId, statusUrl } };
    return { status: 303, headers: { location: statusUrl, 'cache-control': 'no-store' } };
  };
}
