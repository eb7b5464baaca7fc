import type { Category } from '../domain/categories';
import { type Guide, guideFor } from '../domain/guides';
import { bestArticle, type KbArticle, matchesKnownError } from '../domain/kb';
import { PLAYBOOK_CONTRACTS } from '../domain/playbook';
import { escalate, type Playbook, type PlaybookContext, ticketText } from './playbook';

export function articleGuide(a: KbArticle): Guide {
  return {
    articleId: a.articleId,
    title: a.title,
    steps: a.steps,
    ...(a.images.length ? { images: a.images } : {}),
  };
}

/**
 * The requester's site: the client's own list (an RMM or HR export) first, else the office
 * location in Entra ID. A directory that cannot answer only means a less specific guide.
 */
async function requesterSite(ctx: PlaybookContext): Promise<string | undefined> {
  const email = ctx.ticket.requester.email.toLowerCase();
  const listed = Object.entries(ctx.client.systemProfile.userSites ?? {}).find(
    ([address]) => address.toLowerCase() === email,
  );
  if (listed) return listed[1];
  try {
    return (await ctx.directory?.findUser(email))?.officeLocation;
  } catch {
    return undefined;
  }
}

/** The client's best knowledge-base article for the ticket, else the built-in guide. */
export function bestGuide(ctx: PlaybookContext, category: Category, site?: string): Guide | undefined {
  const article = bestArticle(ctx.articles, category, ctx.client, ticketText(ctx.ticket), { site });
  return article ? articleGuide(article) : guideFor(category, ctx.client, site);
}

/** VPN and printers: the guide for the requester's own product or the printer at their site. */
function siteGuidePlaybook(category: 'vpn_remote_access' | 'printer_peripheral'): Playbook {
  return {
    contract: PLAYBOOK_CONTRACTS[category],
    async run(ctx) {
      const site = category === 'printer_peripheral' ? await requesterSite(ctx) : undefined;
      const findings = site ? [`The requester works at ${site}.`] : [];
      const guide = bestGuide(ctx, category, site);
      if (!guide)
        return escalate(
          'there is no guide for this request',
          'One of our engineers will look at this for you.',
          findings,
        );
      return { kind: 'guide', guide, findings, actions: [] };
    },
  };
}

export const vpnPlaybook = siteGuidePlaybook('vpn_remote_access');
export const printerPlaybook = siteGuidePlaybook('printer_peripheral');

/** Software errors: only a documented fix for the error named counts; a generic restart does not. */
export const softwareErrorPlaybook: Playbook = {
  contract: PLAYBOOK_CONTRACTS.software_error,
  run(ctx) {
    const text = ticketText(ctx.ticket);
    // bestArticle keeps to the category, the client and fitting variants; this keeps to known errors.
    const known = ctx.articles.filter((a) => matchesKnownError(a, text));
    const article = bestArticle(known, 'software_error', ctx.client, text);
    if (!article)
      return Promise.resolve(
        escalate(
          'no documented fix in the knowledge base matches this error',
          'This error needs a closer look, so one of our engineers will pick it up.',
        ),
      );
    return Promise.resolve({
      kind: 'guide',
      guide: articleGuide(article),
      findings: [`Known error: the article "${article.title}" matches the request.`],
      actions: [],
    });
  },
};
