import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { suggestArticles } from '../domain/portal';
import type { ClientStore } from '../ports/clientStore';
import type { KnowledgeBase } from '../ports/knowledgeBase';
import { admit, portalError } from './portalHttp';
import { portalBase } from './portalPages';

export interface PortalSuggestDeps {
  clients: Pick<ClientStore, 'get'>;
  kb: Pick<KnowledgeBase, 'forClient'>;
  easyAuth: boolean;
}

const MAX_QUERY_CHARS = 500;

/** The client's articles that match what the requester has typed: `{articles: [{id, title, url, score}]}`. */
export function portalSuggestHandler(deps: PortalSuggestDeps) {
  return async function portalSuggest(req: HttpRequest): Promise<HttpResponseInit> {
    const admitted = await admit(req, deps.clients, deps.easyAuth);
    if (!admitted.ok) return admitted.response;
    const { client } = admitted;
    const q = req.query.get('q') ?? '';
    if (q.length > MAX_QUERY_CHARS)
      return portalError(
        req,
        400,
        client.name,
        'Too long',
        `q: must be at most ${MAX_QUERY_CHARS} characters`,
      );
    const found = suggestArticles(await deps.kb.forClient(client.clientId), client.clientId, q);
    return {
      status: 200,
      headers: { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
      jsonBody: {
        articles: found.map((a) => ({
          ...a,
          url: `${portalBase(client.clientId)}/articles/${encodeURIComponent(a.id)}`,
        })),
      },
    };
  };
}
