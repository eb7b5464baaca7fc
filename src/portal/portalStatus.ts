import { createHash } from 'node:crypto';

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { signStatusToken, statusPath, verifyStatusToken } from '../domain/portal';
import { isTicketId, type Ticket } from '../domain/ticket';
import type { AcknowledgeNow } from '../intake/acknowledgeAtOnce';
import { fileFollowUp } from '../intake/followUp';
import { escapeHtml } from '../ops/html';
import type { ClientStore } from '../ports/clientStore';
import type { TicketStore } from '../ports/ticketStore';
import type { TicketWorkflow } from '../ports/ticketWorkflow';
import { field, portalError, portalPage, readForm, wantsJson } from './portalHttp';
import { portalBase, statusPage } from './portalPages';

export interface PortalStatusDeps {
  tickets: TicketStore;
  clients: Pick<ClientStore, 'get'>;
  workflow: (context: InvocationContext) => TicketWorkflow;
  /** Acknowledges a follow-up it files before that workflow starts (`acknowledgeAtOnce`). */
  acknowledge?: AcknowledgeNow;
  linkSigningKey: string;
  publicBaseUrl: string;
  now: () => Date;
}

const MAX_REPLY_CHARS = 4000;

/**
 * A ticket's status page for its requester, opened with the signed read-and-reply token from the
 * acknowledgement mail or the portal (the token is the credential: no sign-in, like the mail's own
 * links). GET shows it; POST answers "Did this resolve your issue?" or adds a reply, as the
 * requester. What it shows is the requester's view: stage changes in public words, the guide and
 * their own replies, never an engineer's notes.
 */
export function portalStatusHandler(deps: PortalStatusDeps) {
  return async function portalStatus(
    req: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    const clientId = req.params.clientId ?? '';
    const ticketId = req.params.ticketId ?? '';
    const client = /^[a-z0-9][a-z0-9-]{0,62}$/.test(clientId) ? await deps.clients.get(clientId) : undefined;
    const name = client?.name ?? 'IT support';
    if (!client || !isTicketId(ticketId))
      return portalError(req, 404, name, 'No such request', 'There is no request at this address.');
    const verified = verifyStatusToken(
      req.query.get('token') ?? '',
      clientId,
      ticketId,
      deps.linkSigningKey,
      deps.now().getTime(),
    );
    if (!verified.ok) {
      const again = `<p><a href="${escapeHtml(portalBase(clientId))}">Go to the support page</a></p>`;
      if (verified.reason === 'expired')
        return portalError(req, 410, name, 'That link has expired', 'token: expired', again);
      if (verified.reason === 'malformed')
        return portalError(req, 400, name, 'That link is not complete', 'token: malformed', again);
      return portalError(
        req,
        403,
        name,
        'That link does not work',
        `token: ${verified.reason.replace('_', ' ')}`,
        again,
      );
    }
    const ticket = await deps.tickets.get(ticketId);
    if (!ticket || ticket.clientId !== clientId)
      return portalError(req, 404, name, 'No such request', 'There is no request at this address.');

    let notice: string | undefined;
    let followUpUrl: string | undefined;
    let error: string | undefined;
    let status = 200;
    if (req.method === 'POST') {
      const read = await readForm(req, 32 * 1024, name);
      if (!read.ok) return read.response;
      const action = field(read.form, 'action');
      const workflow = deps.workflow(context);
      if (action === 'yes' || action === 'no') {
        // The page only offers the buttons while the question is open; an old tab cannot answer a later one.
        if (ticket.stage !== 'awaiting_confirmation') {
          status = 409;
          error = 'There is no question open on this request right now.';
        } else {
          const raised = await workflow.raise(ticketId, { kind: 'confirmation', answer: action });
          context.log(`portal: ticket ${ticketId} confirmation ${action} (${raised})`);
          if (raised === 'delivered')
            notice =
              action === 'yes'
                ? "Thanks! We've marked your request as resolved."
                : "Thanks for telling us. We've passed your request to one of our engineers.";
          else [status, error] = [409, 'This request is already closed.'];
        }
      } else if (action === 'reply') {
        const text = field(read.form, 'text').trim();
        if (!text || text.length > MAX_REPLY_CHARS) {
          status = 400;
          error = `text: must be 1 to ${MAX_REPLY_CHARS} characters`;
        } else {
          const raised = await workflow.raise(ticketId, {
            kind: 'reply',
            from: ticket.requester.email,
            text,
          });
          context.log(`portal: ticket ${ticketId} reply (${raised})`);
          if (raised === 'delivered') notice = "Thanks, we've added your reply to the request.";
          else {
            // The workflow has finished (its reopen window is over): the reply becomes a new request
            // linked both ways, as a mail reply after the close does, with its own status page.
            const followUp = await fileFollowUp(
              deps,
              ticket,
              {
                requester: ticket.requester,
                text,
                channel: 'portal',
                externalId: `follow-up:${ticketId}:${createHash('sha256').update(text).digest('hex').slice(0, 24)}`,
                prepare: (t) => (t.statusLink ? {} : { statusLink: statusUrl(deps, t) }),
              },
              context,
            );
            followUpUrl = statusUrl(deps, followUp);
            notice = `This request was already closed, so we've opened a new request, ${followUp.ticketId}, with your reply. An engineer will pick it up.`;
            context.log(`portal: ticket ${ticketId} is finished; the reply became ${followUp.ticketId}`);
          }
        }
      } else {
        status = 400;
        error = 'action: must be yes, no or reply';
      }
      if (wantsJson(req))
        return status === 200
          ? {
              status,
              jsonBody: { result: notice, ...(followUpUrl ? { followUpStatusUrl: followUpUrl } : {}) },
            }
          : { status, jsonBody: { error } };
      // The follow-up is where the conversation goes on: its own status page.
      if (followUpUrl)
        return { status: 303, headers: { location: followUpUrl, 'cache-control': 'no-store' } };
    }
    return portalPage(
      status,
      await page(deps, context, ticket, client.name, client.businessHours.timeZone, notice, error),
    );
  };
}

function statusUrl(deps: Pick<PortalStatusDeps, 'publicBaseUrl' | 'linkSigningKey'>, ticket: Ticket): string {
  return `${deps.publicBaseUrl}${statusPath(ticket.clientId, ticket.ticketId, signStatusToken(ticket, deps.linkSigningKey))}`;
}

async function page(
  deps: PortalStatusDeps,
  context: InvocationContext,
  ticket: Ticket,
  clientName: string,
  timeZone: string,
  notice?: string,
  error?: string,
) {
  const [timeline, conversation, workflowStatus] = await Promise.all([
    deps.tickets.timeline(ticket),
    deps.tickets.conversation(ticket),
    deps.workflow(context).customStatus(ticket.ticketId),
  ]);
  const next = (workflowStatus as { nextDeadline?: unknown } | null | undefined)?.nextDeadline;
  return statusPage({
    ticket,
    clientName,
    timeZone,
    timeline,
    conversation,
    ...(typeof next === 'string' ? { nextDeadline: next } : {}),
    ...(notice ? { notice } : {}),
    ...(error ? { error } : {}),
  });
}
