import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { ratingSigningKey, verifyConfirmToken } from '../domain/confirmLink';
import { RATING_LABELS } from '../domain/messages';
import { MAX_RATING_COMMENT } from '../domain/metrics';
import { maskSecrets } from '../domain/secrets';
import { jsonError, readBodyBytes } from '../http/httpHelpers';
import type { OutcomeLog } from '../ports/outcomeLog';
import type { TicketStore } from '../ports/ticketStore';
import type { TokenStore } from '../ports/tokenStore';
import { escapeText, linkPage, wantsHtml } from './linkPage';

export interface RateDeps {
  tokens: TokenStore;
  tickets: TicketStore;
  outcomes: OutcomeLog;
  linkSigningKey: string;
  now: () => Date;
}

/** The page's form: a score and a comment of at most 2,000 characters. */
const MAX_RATE_BODY_BYTES = 16 * 1024;

const RATING_STYLE =
  'fieldset{border:0;padding:0;margin:0 0 1rem}legend{font-weight:600;margin-bottom:.5rem}' +
  '.score{display:block;padding:.5rem .7rem;margin:.3rem 0;border:1px solid #bbb;border-radius:.4rem;cursor:pointer}' +
  '.score input{margin-right:.6rem;transform:scale(1.3)}label[for=comment]{display:block;font-weight:600;margin-bottom:.3rem}' +
  'textarea{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #888;border-radius:.4rem;margin-bottom:.2rem}' +
  '.hint{color:#555;font-size:.95rem;margin-top:0}';

/** A page with a line of text: what happened, in plain words. */
const said = (status: number, title: string, text: string) =>
  linkPage(status, title, `<p>${escapeText(text)}</p>`, RATING_STYLE);

/** Browsers get a short kind page; API clients get JSON `{error}` with the field named. */
function refuse(
  req: HttpRequest,
  status: number,
  title: string,
  text: string,
  error: string,
): HttpResponseInit {
  return wantsHtml(req) ? said(status, title, text) : jsonError(status, error);
}

/** The score the link carries is chosen already; the requester may change it and add a comment. */
function ratingForm(ticketId: string, score: number): HttpResponseInit {
  const choices = RATING_LABELS.map(
    (label, i) =>
      `<label class="score"><input type="radio" name="score" value="${i + 1}"${i + 1 === score ? ' checked' : ''} required>${i + 1} - ${escapeText(label)}</label>`,
  ).join('');
  return linkPage(
    200,
    'How did we do?',
    `<p>Thanks for taking a moment to tell us how we did with request ${escapeText(ticketId)}. Check your rating and press the button to send it.</p>` +
      // No action: the form posts to this page's own address, token included.
      `<form method="post"><fieldset><legend>Your rating, from 1 (poor) to 5 (great)</legend>${choices}</fieldset>` +
      `<label for="comment">Anything you would like to tell us? (optional)</label>` +
      `<textarea id="comment" name="comment" rows="4" maxlength="${MAX_RATING_COMMENT}" aria-describedby="comment-hint"></textarea>` +
      `<p id="comment-hint" class="hint">Please don't include passwords or other private details.</p>` +
      `<button type="submit">Send my rating</button></form>`,
    RATING_STYLE,
  );
}

const SCORE = /^[1-5]$/;

/** The form's fields (or a JSON body's); the query's score when the body has none. */
async function posted(
  req: HttpRequest,
): Promise<{ ok: true; score?: string; comment?: string } | { ok: false; response: HttpResponseInit }> {
  const body = await readBodyBytes(req, MAX_RATE_BODY_BYTES);
  if (!body.ok) return body;
  const text = body.bytes.toString('utf8');
  if (!text.trim()) return { ok: true };
  const type = req.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { ok: false, response: jsonError(400, 'request body is not valid JSON') };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { ok: false, response: jsonError(400, 'request body must be a JSON object') };
    const { score, comment } = value as { score?: unknown; comment?: unknown };
    if (comment !== undefined && typeof comment !== 'string')
      return { ok: false, response: jsonError(400, 'comment: must be text') };
    if (score !== undefined && typeof score !== 'number' && typeof score !== 'string')
      return { ok: false, response: jsonError(400, 'score: must be a whole number from 1 to 5') };
    return { ok: true, score: score === undefined ? undefined : String(score), comment };
  }
  const form = new URLSearchParams(text);
  return { ok: true, score: form.get('score') ?? undefined, comment: form.get('comment') ?? undefined };
}

/** A comment is plain text for the team: no control characters, no typed secrets, bounded. */
function cleanComment(comment: string | undefined): string | undefined {
  const text = (comment ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .trim();
  return text ? maskSecrets(text).text : undefined;
}

/**
 * The one-click ratings in the closing mail: GET shows a page with the score chosen and a comment
 * box (mail scanners open links; nothing is recorded), POST records the rating once per link.
 */
export function rateHandler(deps: RateDeps) {
  return async function rateTicket(req: HttpRequest): Promise<HttpResponseInit> {
    const ticketId = req.params.ticketId ?? '';
    const queryScore = req.query.get('score') ?? '';
    const unusable = (error: string) =>
      refuse(
        req,
        400,
        'That link does not work',
        'Please use one of the numbers in the email. If it still does not work, simply reply to the email and tell us.',
        error,
      );
    if (!SCORE.test(queryScore)) return unusable('score: must be a whole number from 1 to 5');
    const verified = verifyConfirmToken(
      req.query.get('token') ?? '',
      ticketId,
      ratingSigningKey(deps.linkSigningKey),
      deps.now().getTime(),
    );
    if (!verified.ok) {
      if (verified.reason === 'expired')
        return refuse(
          req,
          410,
          'That link has expired',
          'Thank you for wanting to tell us. You can still reply to the email with your thoughts.',
          'token: expired',
        );
      return unusable(`token: ${verified.reason.replace('_', ' ')}`);
    }
    if (req.method !== 'POST') {
      if (!wantsHtml(req))
        return {
          status: 200,
          jsonBody: {
            ticketId,
            score: Number(queryScore),
            recorded: false,
            how: 'POST to this URL (optionally with {comment}) to record the rating',
          },
        };
      return ratingForm(ticketId, Number(queryScore));
    }
    const body = await posted(req);
    if (!body.ok) return body.response;
    const score = body.score ?? queryScore;
    if (!SCORE.test(score)) return unusable('score: must be a whole number from 1 to 5');
    if ((body.comment ?? '').length > MAX_RATING_COMMENT)
      return refuse(
        req,
        400,
        'That comment is a little long',
        `Please keep it under ${MAX_RATING_COMMENT} characters, or reply to the email instead.`,
        `comment: at most ${MAX_RATING_COMMENT} characters`,
      );
    const ticket = await deps.tickets.get(ticketId);
    if (!ticket)
      return refuse(
        req,
        404,
        'We could not find that request',
        'Please reply to the email instead.',
        `ticket ${ticketId} not found`,
      );
    const { nonce, expiresAt } = verified.token;
    if (!(await deps.tokens.use(nonce, new Date(expiresAt)))) {
      return wantsHtml(req)
        ? said(200, 'Thanks, we already have your rating', 'You do not need to do anything else.')
        : { status: 200, jsonBody: { ticketId, recorded: false, result: 'already rated with this link' } };
    }
    const at = deps.now().toISOString();
    const comment = cleanComment(body.comment);
    try {
      await deps.outcomes.record({
        clientId: ticket.clientId,
        ticketId,
        receivedAt: ticket.createdAt,
        step: `rated-${nonce}`,
        at,
        kind: 'rated',
        score: Number(score),
        ...(comment ? { comment } : {}),
      });
      await deps.tickets.appendTimeline(ticket, {
        step: `rated-${nonce}`,
        at,
        note: `The requester rated the support ${score} out of 5${comment ? `: "${comment.slice(0, 500)}"` : ''}`,
      });
    } catch (err) {
      // Let the link work again: the requester's retry should record, not say "already".
      await deps.tokens.forget(nonce, new Date(expiresAt));
      throw err;
    }
    return wantsHtml(req)
      ? said(
          200,
          'Thank you!',
          'We have your rating. It helps us see what we are doing well and what we could do better.',
        )
      : { status: 200, jsonBody: { ticketId, recorded: true, score: Number(score) } };
  };
}
