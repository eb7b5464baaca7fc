/**
 * The ops pages: the ticket list (`./opsListPage`), a ticket's page (`./opsTicketPage`) and the
 * refusal page, built from the pieces in `./opsHtml`.
 */
import { escapeHtml as e, type Page } from './html';
import { header } from './opsHtml';
import { OPS_STYLE } from './opsStyle';

export { opsListPage } from './opsListPage';
export { opsTicketPage } from './opsTicketPage';

/** A refusal people can read: the reason, and the way back. */
export function opsErrorPage(
  title: string,
  message: string,
  link: { href: string; text: string },
  now: Date,
): Page {
  return {
    title: `autotier ops: ${title}`,
    body:
      header(now) +
      `<main id="main"><h1>${e(title)}</h1><section class="card"><p>${e(message)}</p>` +
      `<p><a href="${e(link.href)}">${e(link.text)}</a></p></section></main>`,
    style: OPS_STYLE,
  };
}
