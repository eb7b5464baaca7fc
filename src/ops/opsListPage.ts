/** The ops list: tickets with their stage, next deadline and workflow, filters, and the metrics section. */
import { STAGES } from '../domain/ticket';
import { escapeHtml as e, type Page } from './html';
import { METRICS_SCRIPT } from './metricsScript';
import { badge, deadlineCell, header, ticketLink, time, words } from './opsHtml';
import type { OpsFilters, OpsList, OpsRow } from './opsQuery';
import { OPS_STYLE } from './opsStyle';

function listRow(row: OpsRow, now: Date): string {
  const t = row.ticket;
  const failed = row.workflow?.runtimeStatus === 'Failed';
  const cls = failed ? ' class="is-failed"' : row.overdue ? ' class="is-overdue"' : '';
  return (
    `<tr${cls} data-ticket-id="${e(row.ticketId)}">` +
    `<th scope="row">${t ? ticketLink(row.ticketId, 'ops/tickets/') : e(row.ticketId)}</th>` +
    `<td>${t ? e(t.clientId) : '—'}</td>` +
    `<td class="subject">${t ? e(t.subject) : '<em>no ticket is stored for this workflow</em>'}</td>` +
    `<td>${t ? badge(t.stage) : '—'}</td>` +
    `<td>${t?.category ? e(words(t.category)) : '—'}</td>` +
    `<td>${t?.priority ? e(t.priority) : '—'}</td>` +
    `<td>${t?.tier !== undefined ? e(String(t.tier)) : '—'}</td>` +
    `<td>${deadlineCell(row.workflow, now, row.overdue)}</td>` +
    `<td>${row.workflow ? badge(row.workflow.runtimeStatus, row.workflow.runtimeStatus) : '<span class="what">none found</span>'}</td>` +
    `<td>${t ? time(t.createdAt) : '—'}</td>` +
    `</tr>`
  );
}

function option(value: string, label: string, selected: boolean): string {
  return `<option value="${e(value)}"${selected ? ' selected' : ''}>${e(label)}</option>`;
}

function filterForm(filters: OpsFilters, clients: string[]): string {
  const checkbox = (name: 'overdue' | 'failed', label: string) =>
    `<div class="check"><input type="checkbox" id="f-${name}" name="${name}" value="1"${filters[name] ? ' checked' : ''}>` +
    `<label for="f-${name}">${e(label)}</label></div>`;
  return (
    `<form method="get" class="card filters" aria-labelledby="filters-h"><h2 id="filters-h">Filter</h2>` +
    `<div class="field"><label for="f-stage">Stage</label><select id="f-stage" name="stage">` +
    option('', 'Any stage', !filters.stage) +
    STAGES.map((s) => option(s, words(s), filters.stage === s)).join('') +
    `</select></div>` +
    `<div class="field"><label for="f-client">Client</label><select id="f-client" name="client">` +
    option('', 'Every client', !filters.client) +
    clients.map((c) => option(c, c, filters.client === c)).join('') +
    `</select></div>` +
    checkbox('overdue', 'Overdue (next deadline passed)') +
    checkbox('failed', 'Workflow failed') +
    `<div class="check"><button type="submit">Show</button> <a href="ops">Clear filters</a></div>` +
    `</form>`
  );
}

function scopeNote(list: OpsList, filters: OpsFilters): string {
  if (list.source === 'workflows')
    return `Tickets whose Durable workflow ${filters.failed ? 'failed' : 'is still running'}${filters.overdue ? ' with its next deadline passed' : ''}, newest first${list.truncated ? `; the first ${filters.limit} are shown` : ''}.`;
  const each = filters.client ? `client ${filters.client}` : 'each client';
  return (
    `The newest ${filters.limit} tickets of ${each}${filters.before ? ` filed before ${filters.before}` : ''}, newest first` +
    (filters.stage ? `, of those looked through the ones at stage ${words(filters.stage)}` : '') +
    (list.truncated ? '. Choose a client to page through older tickets.' : '.')
  );
}

function pageLinks(list: OpsList, filters: OpsFilters): string {
  if (!list.next || !filters.client) return '';
  const q = new URLSearchParams({ client: filters.client, before: list.next });
  if (filters.stage) q.set('stage', filters.stage);
  if (filters.limit !== 100) q.set('limit', String(filters.limit));
  return `<nav class="pages" aria-label="Pages"><a href="ops?${e(q.toString())}">Older tickets</a></nav>`;
}

export function opsListPage(list: OpsList, filters: OpsFilters): Page {
  const now = new Date(list.now);
  const rows = list.rows.map((r) => listRow(r, now)).join('');
  const table = list.rows.length
    ? `<div class="table-wrap"><table><caption>${e(scopeNote(list, filters))}</caption><thead><tr>` +
      [
        'Ticket',
        'Client',
        'Subject',
        'Stage',
        'Category',
        'Priority',
        'Tier',
        'Next deadline',
        'Workflow',
        'Filed',
      ]
        .map((h) => `<th scope="col">${h}</th>`)
        .join('') +
      `</tr></thead><tbody>${rows}</tbody></table></div>`
    : `<p class="empty">No tickets match. ${e(scopeNote(list, filters))}</p>`;
  const body =
    header(now) +
    `<main id="main"><h1>Tickets</h1>` +
    filterForm(filters, list.clients) +
    `<section id="metrics" class="card" hidden aria-labelledby="metrics-h"${filters.client ? ` data-client="${e(filters.client)}"` : ''}>` +
    `<h2 id="metrics-h">Outcomes${filters.client ? ` for ${e(filters.client)}` : ''}</h2><p class="note" id="metrics-range"></p>` +
    `<div id="metrics-tiles" class="tiles"></div><div id="metrics-charts" class="charts"></div></section>` +
    `<section class="card" aria-labelledby="tickets-h"><h2 id="tickets-h">Tickets (${list.rows.length})</h2>` +
    table +
    pageLinks(list, filters) +
    `</section></main>`;
  return { title: 'autotier ops: tickets', body, style: OPS_STYLE, script: METRICS_SCRIPT };
}
