import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { verifyConfirmToken } from '../domain/confirmLink';
import type { TicketWorkflow } from '../ports/ticketWorkflow';
import type { TokenStore } from '../ports/tokenStore';
import { escapeText, linkPage, wantsHtml } from './linkPage';

export interface ConfirmDeps {
  tokens: TokenStore;
  workflow: (context: InvocationContext) => TicketWorkflow;
  linkSigningKey: string;
  now: () => Date;
}

/** A page with a line of text and, when asking, a button that posts to this page's own address. */
const PAGE = (status: number, title: string, text: string, button?: string) =>
  linkPage(
    status,
    title,
    `<p>${escapeText(text)}</p>` +
      // No action: the form posts to this page's own address, token and answer included.
      (button ? `<form method="post"><button type="submit">${escapeText(button)}</button></form>` : ''),
  );

/** Browsers get a small friendly page; API clients get JSON. */
function answer(
  req: HttpRequest,
  status: number,
  title: string,
  text: string,
  error?: string,
): HttpResponseInit {
  if (wantsHtml(req)) return PAGE(status, title, text);
  return { status, jsonBody: error ? { error } : { result: title } };
}

/**
 * GET only asks: mail security scanners open every link in a mail, so nothing is recorded until
 * the requester presses the button, which POSTs to the same address.
 */
function askToConfirm(req: HttpRequest, ticketId: string, choice: 'yes' | 'no'): HttpResponseInit {
  if (!wantsHtml(req))
    return {
      status: 200,
      jsonBody: { ticketId, answer: choice, recorded: false, how: 'POST to this URL to record the answer' },
    };
  const [title, text, button] =
    choice === 'yes'
      ? [
          'Is it fixed?',
          `Press the button to tell us request ${ticketId} is sorted, and we'll close it.`,
          "Yes, it's fixed",
        ]
      : [
          'Still not working?',
          `Press the button and an engineer will pick up request ${ticketId} with everything you've told us.`,
          'No, I still need help',
        ];
  return PAGE(200, title, text, button);
}

export function confirmHandler(deps: ConfirmDeps) {
  return async function confirmTicket(
    req: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    const ticketId = req.params.ticketId ?? '';
    const choice = req.query.get('answer');
    if (choice !== 'yes' && choice !== 'no')
      return answer(
        req,
        400,
        'That link is not complete',
        'Please use the buttons in the email, or simply reply to it.',
        'answer: must be yes or no',
      );
    const verified = verifyConfirmToken(
      req.query.get('token') ?? '',
      ticketId,
      deps.linkSigningKey,
      deps.now().getTime(),
    );
    if (!verified.ok) {
      if (verified.reason === 'expired')
        return answer(
          req,
          410,
          'That link has expired',
          'No problem: just reply to the email and tell us how it went.',
          'token: expired',
        );
      return answer(
        req,
        400,
        'That link does not work',
        'Please use the buttons in the email, or simply reply to it.',
        `token: ${verified.reason.replace('_', ' ')}`,
      );
    }
    if (req.method !== 'POST') return askToConfirm(req, ticketId, choice);
    if (!(await deps.tokens.use(verified.token.nonce, new Date(verified.token.expiresAt)))) {
      return answer(req, 200, 'Thanks, we already have your answer', 'You do not need to do anything else.');
    }
    const raised = await deps.workflow(context).raise(ticketId, { kind: 'confirmation', answer: choice });
    context.log(`ticket ${ticketId}: confirmation answered ${choice} (${raised})`);
    if (raised !== 'delivered')
      return answer(
        req,
        409,
        'This request is already closed',
        `Request ${ticketId} was closed a while ago. If you still need help, just reply to the email and we'll open it again as a new request.`,
        `ticket ${ticketId} is finished`,
      );
    return choice === 'yes'
      ? answer(
          req,
          200,
          "Great, we're glad it's sorted",
          `We've marked request ${ticketId} as resolved. If it comes back, just reply to the email.`,
        )
      : answer(
          req,
          200,
          "Sorry it's still not working",
          `We've passed request ${ticketId} to one of our engineers with everything you've told us. They'll be in touch.`,
        );
  };
}
