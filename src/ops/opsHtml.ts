/** The pieces every ops page is made of: times, badges, links, fact lists, tables and the header. */
import { escapeHtml as e } from './html';
import type { WorkflowView } from './opsQuery';

/** What each deadline of the workflow's custom status (`nextDeadlineIs`) means. */
const DEADLINES: Record<string, string> = {
  reminder: 'remind the requester',
  silence: 'no answer: close or escalate',
  tierLimit: 'tier time limit',
  repage: 'page the on-call again',
  slaWarning: 'SLA warning (75%)',
  slaBreach: 'SLA breach',
  reopenWindow: 'reopen window ends',
};

/** `awaiting_confirmation`, `vpnProduct` -> words people read. */
export const words = (id: string) =>
  id.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`);

/** `2026-03-02 10:30` (UTC, as the header says) in a <time> element: the same for every reader. */
export function time(iso: string | undefined, seconds = false): string {
  if (!iso) return '—';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return e(iso);
  const text = new Date(at)
    .toISOString()
    .slice(0, seconds ? 19 : 16)
    .replace('T', ' ');
  return `<time datetime="${e(new Date(at).toISOString())}">${text}</time>`;
}

export function relative(iso: string, now: Date): string {
  const ms = Date.parse(iso) - now.getTime();
  const abs = Math.abs(ms);
  const amount =
    abs < 90_000
      ? `${Math.round(abs / 1000)} s`
      : abs < 90 * 60_000
        ? `${Math.round(abs / 60_000)} min`
        : abs < 48 * 3_600_000
          ? `${Math.round(abs / 3_600_000)} h`
          : `${Math.round(abs / 86_400_000)} d`;
  return ms >= 0 ? `in ${amount}` : `${amount} ago`;
}

export const badge = (value: string, label = words(value)) =>
  `<span class="badge ${e(value)}">${e(label)}</span>`;

export const ticketLink = (ticketId: string, base: string) =>
  `<a href="${e(base)}${e(ticketId)}">${e(ticketId)}</a>`;

export function deadlineCell(workflow: WorkflowView | undefined, now: Date, overdue: boolean): string {
  if (!workflow?.nextDeadline) return '—';
  const what = workflow.nextDeadlineIs
    ? (DEADLINES[workflow.nextDeadlineIs] ?? words(workflow.nextDeadlineIs))
    : '';
  return (
    `${time(workflow.nextDeadline)}<br><span class="what">${e(what ? `${what}, ` : '')}<span class="when">${e(relative(workflow.nextDeadline, now))}</span></span>` +
    (overdue ? `<br><strong class="flag">Overdue</strong>` : '')
  );
}

export function header(now: Date, back?: string): string {
  return (
    `<a class="skip" href="#main">Skip to the content</a><header><p class="brand">autotier ops</p>` +
    `<p>As of ${time(now.toISOString())} (all times UTC)</p>${back ?? ''}</header>`
  );
}

export function facts(items: [string, string | undefined][]): string {
  const shown = items.filter((i): i is [string, string] => i[1] !== undefined);
  return `<dl class="facts">${shown.map(([k, v]) => `<dt>${e(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

export function table(caption: string, headings: string[], rows: string[][], empty: string): string {
  if (!rows.length) return `<p class="empty">${e(empty)}</p>`;
  return (
    `<div class="table-wrap"><table><caption>${e(caption)}</caption><thead><tr>` +
    headings.map((h) => `<th scope="col">${e(h)}</th>`).join('') +
    `</tr></thead><tbody>` +
    rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('') +
    `</tbody></table></div>`
  );
}
