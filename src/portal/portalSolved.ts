import { createHash } from 'node:crypto';

import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { verifyFormToken } from '../domain/portal';
import { escapeHtml } from '../ops/html';
import type { ClientStore } from '../ports/clientStore';
import type { KnowledgeBase } from '../ports/knowledgeBase';
import type { OutcomeLog } from '../ports/outcomeLog';
import type { TokenStore } from '../ports/tokenStore';
import { callerIp, RATE_LIMITS, withinSolvedLimit } from './portalAccess';
import { admit, field, portalError, portalPage, readForm, wantsJson } from './portalHttp';
import { messagePage, portalBase } from './portalPages';

export interface PortalSolvedDeps {
  clients: Pick<ClientStore, 'get'>;
  kb: Pick<KnowledgeBase, 'forClient'>;
  outcomes: Pick<OutcomeLog, 'recordSelfServiceDeflection'>;
  /** Holds the per-IP rate-limit slots. */
  tokens: TokenStore;
  linkSigningKey: string;
  easyAuth: boolean;
  now: () => Date;
}

/**
 * "This solved it": a self-service deflection, counted apart from tickets and once per (visit,
 * article), so a double click or a retried post counts once. Anonymous callers (everyone without
 * Entra sign-in) are limited per IP, like filing: fresh visits cost nothing, so without a limit a
 * script could count deflections without end.
 */
export function portalSolvedHandler(deps: PortalSolvedDeps) {
  return async function portalSolved(req: HttpRequest): Promise<HttpResponseInit> {
    const admitted = await admit(req, deps.clients, deps.easyAuth);
    if (!admitted.ok) return admitted.response;
    const { client, access } = admitted;
    const read = await readForm(req, 16 * 1024, client.name);
    if (!read.ok) return read.response;
    const now = deps.now();
    const visit = verifyFormToken(
      field(read.form, 'form'),
      client.clientId,
      deps.linkSigningKey,
      now.getTime(),
    );
    if (!visit.ok)
      return portalError(
        req,
        403,
        client.name,
        'That page has expired',
        `form: ${visit.reason.replace('_', ' ')}`,
        `<p><a href="${escapeHtml(portalBase(client.clientId))}">Start again</a></p>`,
      );
    const articleId = field(read.form, 'article');
    const article = (await deps.kb.forClient(client.clientId)).find((a) => a.articleId === articleId);
    if (!article)
      return portalError(
        req,
        400,
        client.name,
        'No such article',
        'article: not one of this portal’s articles',
      );
    if (access.kind === 'anonymous' && !(await withinSolvedLimit(deps.tokens, callerIp(req), now))) {
      const limited = portalError(
        req,
        429,
        client.name,
        'Please try again later',
        `too many "this solved it" clicks from here this hour (at most ${RATE_LIMITS.solvedPerIpPerHour} per network)`,
      );
      return {
        ...limited,
        headers: { ...(limited.headers as Record<string, string>), 'retry-after': '3600' },
      };
    }
    const key = createHash('sha256')
      .update(`${visit.value}\n${article.articleId}`)
      .digest('base64url')
      .slice(0, 32);
    await deps.outcomes.recordSelfServiceDeflection({
      clientId: client.clientId,
      key: `portal.${key}`,
      at: now.toISOString(),
      articleId: article.articleId,
    });
    if (wantsJson(req)) return { status: 200, jsonBody: { recorded: true } };
    return portalPage(
      200,
      messagePage(
        client.name,
        "Great, we're glad that helped",
        `You're all set: no request was filed. If it comes back, you can always ask us for help.`,
        `<p><a href="${escapeHtml(portalBase(client.clientId))}">Back to the support page</a></p>`,
      ),
    );
  };
}
