import { randomUUID } from 'node:crypto';

import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { ALL_CLIENTS } from '../domain/kb';
import { signFormToken, verifyFormToken } from '../domain/portal';
import type { ClientStore } from '../ports/clientStore';
import type { KnowledgeBase } from '../ports/knowledgeBase';
import { admit, portalError, portalPage } from './portalHttp';
import { articlePage } from './portalPages';

export interface PortalArticleDeps {
  clients: Pick<ClientStore, 'get'>;
  kb: Pick<KnowledgeBase, 'forClient'>;
  linkSigningKey: string;
  easyAuth: boolean;
  now: () => Date;
}

/** One of the client's articles, with "This solved it" for the visit that opened it. */
export function portalArticleHandler(deps: PortalArticleDeps) {
  return async function portalArticle(req: HttpRequest): Promise<HttpResponseInit> {
    const admitted = await admit(req, deps.clients, deps.easyAuth);
    if (!admitted.ok) return admitted.response;
    const { client } = admitted;
    const articleId = req.params.articleId ?? '';
    const articles = await deps.kb.forClient(client.clientId);
    const article =
      articles.find((a) => a.articleId === articleId && a.clientId === client.clientId) ??
      articles.find((a) => a.articleId === articleId && a.clientId === ALL_CLIENTS);
    if (!article)
      return portalError(req, 404, client.name, 'No such article', 'That article is not here any more.');
    const now = deps.now().getTime();
    // The visit that suggested it, so "This solved it" counts once for it; a bare link starts a new one.
    const given = req.query.get('form') ?? '';
    const form = verifyFormToken(given, client.clientId, deps.linkSigningKey, now).ok
      ? given
      : signFormToken(client.clientId, randomUUID(), now, deps.linkSigningKey);
    return portalPage(200, articlePage(client.clientId, client.name, article, form));
  };
}
