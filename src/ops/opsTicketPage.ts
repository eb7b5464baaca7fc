/** A ticket's ops page: its facts, workflow and Durable history, timeline, escalation package and alerts. */
import type { ConversationEntry, EscalationPackage } from '../domain/escalation';
import type { WorkflowDetails } from '../ports/ticketWorkflow';
import { escapeHtml as e, type Page } from './html';
import { badge, deadlineCell, facts, header, table, ticketLink, time, words } from './opsHtml';
import { isOverdue, type OpsTicketView } from './opsQuery';
import { OPS_STYLE } from './opsStyle';

/** History rows shown at most; the newest are kept. */
const MAX_HISTORY_ROWS = 400;
const MAX_CONVERSATION = 20;

function conversationHtml(entries: ConversationEntry[]): string {
  if (!entries.length) return '<p class="empty">Nothing said yet.</p>';
  return entries
    .map(
      (c) =>
        `<p class="who"><strong>${e(c.from)}</strong>, ${time(c.at)}</p><div class="text">${e(c.text)}</div>`,
    )
    .join('');
}

function escalationHtml(pkg: EscalationPackage): string {
  const playbook = pkg.automation.playbook;
  const profile = Object.entries(pkg.systemProfile)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]): [string, string] => [
      words(k),
      e(
        Array.isArray(v)
          ? v.join(', ')
          : typeof v === 'object'
            ? Object.entries(v)
                .map(([a, b]) => `${a}: ${b}`)
                .join('; ')
            : String(v),
      ),
    ]);
  return (
    facts([
      ['Why', e(pkg.reason)],
      ['Tier', e(String(pkg.tier))],
      [
        'Priority',
        `${e(pkg.priority)}${pkg.priorityReasons.length ? ` (${e(pkg.priorityReasons.join('; '))})` : ''}`,
      ],
      ['Category', `${e(words(pkg.category))} (confidence ${e(pkg.confidence.toFixed(2))})`],
      ['Resolution due', pkg.resolutionDue ? time(pkg.resolutionDue) : undefined],
      ['Escalated', time(pkg.createdAt)],
    ]) +
    `<h3>What automation tried</h3>` +
    facts([
      ['Guide or playbook', e(pkg.automation.attempted ?? 'nothing')],
      ['Requester answered', e(pkg.automation.requesterAnswer)],
      ['Playbook', playbook ? e(playbook.name) : undefined],
      ['It found', playbook?.findings.length ? e(playbook.findings.join('; ')) : undefined],
      [
        'It did',
        playbook?.actions.length
          ? e(playbook.actions.map((a) => `${words(a.action)}: ${a.target} (${a.detail})`).join('; '))
          : undefined,
      ],
      ['It stopped because', playbook?.stoppedBecause ? e(playbook.stoppedBecause) : undefined],
    ]) +
    `<h3>Suggested steps</h3>` +
    (pkg.suggestedSteps.length
      ? `<ol>${pkg.suggestedSteps.map((s) => `<li>${e(s)}</li>`).join('')}</ol>`
      : '<p class="empty">None.</p>') +
    `<h3>Similar solved tickets</h3>` +
    table(
      'Solved tickets of this client that read alike',
      ['Ticket', 'Subject', 'Category', 'How it was solved', 'Score'],
      pkg.similarTickets.map((s) => [
        ticketLink(s.ticketId, ''),
        e(s.subject),
        e(s.category ? words(s.category) : '—'),
        e(s.resolution),
        e(s.score.toFixed(2)),
      ]),
      'None found.',
    ) +
    `<h3>System profile</h3>` +
    facts(profile) +
    `<h3>Conversation in the package</h3>` +
    conversationHtml(pkg.conversation)
  );
}

function workflowHtml(view: OpsTicketView): string {
  const w = view.workflow;
  if (!w)
    return '<p class="empty">No Durable instance: the workflow never started, or its history was purged after the retention.</p>';
  const status = (w.customStatus ?? {}) as Record<string, unknown>;
  const text = (k: string) => (typeof status[k] === 'string' ? status[k] : undefined);
  const summary = {
    runtimeStatus: w.runtimeStatus,
    nextDeadline: text('nextDeadline'),
    nextDeadlineIs: text('nextDeadlineIs'),
    lastUpdatedTime: w.lastUpdatedTime,
  };
  const overdue = isOverdue(summary, view.now);
  return facts([
    ['Instance', e(`ticket-${view.ticket.ticketId}`)],
    ['Runtime status', badge(w.runtimeStatus, w.runtimeStatus)],
    ['Phase', text('phase') ? e(text('phase') ?? '') : undefined],
    ['Next deadline', summary.nextDeadline ? deadlineCell(summary, view.now, overdue) : undefined],
    ['Created', time(w.createdTime)],
    ['Last updated', time(w.lastUpdatedTime)],
    [
      w.runtimeStatus === 'Failed' ? 'What failed' : 'Output',
      w.output === null || w.output === undefined
        ? undefined
        : `<div class="text">${e(typeof w.output === 'string' ? w.output : JSON.stringify(w.output, null, 1))}</div>`,
    ],
  ]);
}

function historyHtml(workflow: WorkflowDetails | undefined): string {
  if (!workflow) return '<p class="empty">No Durable history.</p>';
  const history = workflow.history.slice(-MAX_HISTORY_ROWS);
  const first = workflow.history.length - history.length;
  return table(
    first > 0
      ? `The latest ${history.length} of ${workflow.history.length} events`
      : `${history.length} events, oldest first`,
    ['#', 'When', 'Event', 'Activity, timer or event', 'Detail'],
    history.map((h, i) => [
      String(first + i + 1),
      time(h.at, true),
      e(h.type),
      e(h.name ?? ''),
      h.type.startsWith('Timer') && h.detail ? `fires ${time(h.detail, true)}` : e(h.detail ?? ''),
    ]),
    'No history events (the instance has not run yet).',
  );
}

function alertsHtml(alerts: OpsTicketView['alerts']): string {
  return (
    table(
      'Alerts raised for this ticket',
      ['When', 'Kind', 'To', 'Message'],
      alerts.raised.map((n) => [
        time(n.at),
        e(words(n.kind)),
        e(n.audience === 'oncall' ? 'on call' : `tier ${n.tier}`),
        e(n.message),
      ]),
      'No alerts were raised.',
    ) +
    `<h3>Alert delivery failures</h3>` +
    table(
      'Deliveries of these alerts that failed',
      ['When', 'Alert', 'Channel', 'To', 'Tries', 'Error', 'Later delivered'],
      alerts.failed.map((f) => [
        time(f.at),
        e(`${words(f.kind)} (${f.notificationKey})`),
        e(f.channel),
        e(f.audience),
        e(String(f.attempt)),
        e(f.error),
        f.recovered
          ? `yes, on try ${e(String(f.recovered.attempt))} at ${time(f.recovered.at)}`
          : '<strong class="flag">no</strong>',
      ]),
      'No alert delivery failed.',
    )
  );
}

export function opsTicketPage(view: OpsTicketView): Page {
  const t = view.ticket;
  const sla = t.sla;
  const related = (ids: string[]) => ids.map((id) => ticketLink(id, '')).join(', ');
  const resolution = t.resolution
    ? facts([
        ['By', e(t.resolution.by)],
        ['At', time(t.resolution.at)],
        ['Note (internal)', t.resolution.note ? e(t.resolution.note) : undefined],
      ])
    : '<p class="empty">Not resolved yet.</p>';
  const body =
    header(view.now, `<p><a href="../../ops">All tickets</a></p>`) +
    `<main id="main"><h1>${e(t.ticketId)}: ${e(t.subject)}</h1>` +
    `<div class="grid"><section class="card" aria-labelledby="ticket-h"><h2 id="ticket-h">Ticket</h2>` +
    facts([
      ['Client', e(t.clientId)],
      ['Requester', e(t.requester.name ? `${t.requester.name} <${t.requester.email}>` : t.requester.email)],
      ['Channel', e(t.channel)],
      ['PSA number', t.externalNumber ? e(t.externalNumber) : undefined],
      ['Stage', badge(t.stage)],
      [
        'Category',
        t.category
          ? `${e(words(t.category))}${t.confidence !== undefined ? ` (confidence ${e(t.confidence.toFixed(2))})` : ''}`
          : undefined,
      ],
      [
        'Priority',
        t.priority
          ? `${e(t.priority)}${t.reasons?.length ? ` (${e(t.reasons.join('; '))})` : ''}`
          : undefined,
      ],
      ['Route', t.route ? e(t.route) : undefined],
      ['Tier', t.tier !== undefined ? e(String(t.tier)) : undefined],
      ['Automation tried', t.attempted ? e(t.attempted) : undefined],
      ['Reopens', e(String(t.reopens ?? 0))],
      ['Follow-up of', t.followUpOf ? related([t.followUpOf]) : undefined],
      ['Follow-ups', t.followUps?.length ? related(t.followUps) : undefined],
      [
        'Attachments',
        t.attachments?.length
          ? e(t.attachments.map((a) => `${a.filename} (${a.size} bytes)`).join(', '))
          : undefined,
      ],
      ['Filed', time(t.createdAt)],
      ['Updated', time(t.updatedAt)],
    ]) +
    `<h3>Request</h3><div class="text">${e(t.body)}</div>` +
    `</section><div class="stack">` +
    `<section class="card" aria-labelledby="workflow-h"><h2 id="workflow-h">Workflow (Durable Functions)</h2>${workflowHtml(view)}</section>` +
    `<section class="card" aria-labelledby="sla-h"><h2 id="sla-h">SLA</h2>` +
    (sla
      ? facts([
          ['Tier', e(sla.tier)],
          ['Response due', time(sla.responseDue)],
          ['Resolution due', sla.resolutionDue ? time(sla.resolutionDue) : 'paused, or none'],
          [
            'Clock',
            e(
              [
                sla.aroundTheClock ? 'around the clock' : 'business hours',
                sla.paused ? 'paused' : 'running',
              ].join(', '),
            ),
          ],
          [
            'Warned / breached',
            e(`${sla.warned ? 'warned' : 'not warned'}, ${sla.breached ? 'breached' : 'not breached'}`),
          ],
        ])
      : '<p class="empty">Not set yet.</p>') +
    `</section>` +
    `<section class="card" aria-labelledby="resolution-h"><h2 id="resolution-h">Resolution</h2>${resolution}</section>` +
    `</div></div>` +
    `<section class="card" aria-labelledby="timeline-h"><h2 id="timeline-h">Timeline</h2>` +
    table(
      'What happened, oldest first',
      ['When', 'Stage', 'Step', 'Note'],
      view.timeline.map((l) => [time(l.at, true), l.stage ? badge(l.stage) : '', e(l.step), e(l.note)]),
      'Nothing recorded yet.',
    ) +
    `</section>` +
    `<section class="card" aria-labelledby="history-h"><h2 id="history-h">Durable history</h2>${historyHtml(view.workflow)}</section>` +
    `<section class="card" aria-labelledby="escalation-h"><h2 id="escalation-h">Escalation package</h2>` +
    (t.escalation
      ? escalationHtml(t.escalation)
      : '<p class="empty">Not escalated: automation has it, or it was solved without a person.</p>') +
    `</section>` +
    (t.escalation
      ? ''
      : `<section class="card" aria-labelledby="conversation-h"><h2 id="conversation-h">Conversation</h2>` +
        (view.conversation.length > MAX_CONVERSATION
          ? `<p class="note">The latest ${MAX_CONVERSATION} of ${view.conversation.length} messages.</p>`
          : '') +
        conversationHtml(view.conversation.slice(-MAX_CONVERSATION)) +
        `</section>`) +
    `<section class="card" aria-labelledby="alerts-h"><h2 id="alerts-h">Alerts</h2>${alertsHtml(view.alerts)}</section>` +
    `</main>`;
  return { title: `autotier ops: ${t.ticketId}`, body, style: OPS_STYLE };
}
