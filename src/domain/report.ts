/**
 * The metrics as a file an MSP can send its client: CSV (one row per week and category) and one
 * self-contained HTML page with SVG charts (no scripts, fonts or pictures from anywhere else).
 */
import type { ClientMetrics, WeekFigures } from './metrics';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A duration people read: "45 s", "12 min", "3 h 20 min", "2 days 4 h". */
export function humanDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < MINUTE) return `${Math.round(ms / 1000)} s`;
  if (ms < HOUR) return `${Math.round(ms / MINUTE)} min`;
  if (ms < DAY) {
    const h = Math.floor(ms / HOUR);
    const m = Math.round((ms - h * HOUR) / MINUTE);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const d = Math.floor(ms / DAY);
  const h = Math.round((ms - d * DAY) / HOUR);
  return `${d} day${d === 1 ? '' : 's'}${h ? ` ${h} h` : ''}`;
}

const percent = (fraction: number) => `${Math.round(fraction * 1000) / 10}%`;
const minutes = (ms: number | null) => (ms === null ? '' : String(Math.round((ms / MINUTE) * 10) / 10));

const CSV_COLUMNS = [
  'week',
  'category',
  'tickets',
  'verified_deflections',
  'verified_deflection_rate',
  'confirmed',
  'unconfirmed',
  'escalated',
  'reopened',
  'first_response_p50_minutes',
  'resolution_p50_minutes',
  'engineer_interruptions',
  'csat_responses',
  'csat_average',
] as const;

function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One row per week and category (every category of the range in every week, zeros included, so a
 * spreadsheet pivots cleanly), and a row per week for `all` with the figures kept per week only.
 */
export function metricsCsv(m: ClientMetrics): string {
  const categories = Object.keys(m.byCategory).sort();
  const rows: (string | number | null)[][] = [[...CSV_COLUMNS]];
  for (const w of m.weekly) {
    rows.push([
      w.week,
      'all',
      w.tickets,
      w.verified,
      w.verifiedDeflection,
      w.confirmed,
      w.unconfirmed,
      w.escalated,
      w.reopened,
      minutes(w.firstResponseP50Ms),
      minutes(w.resolutionP50Ms),
      w.engineerInterruptions,
      w.csatResponses,
      w.csatAverage,
    ]);
    for (const category of categories) {
      const c = w.byCategory[category] ?? {
        tickets: 0,
        deflected: 0,
        confirmed: 0,
        unconfirmed: 0,
        escalated: 0,
      };
      rows.push([
        w.week,
        category,
        c.tickets,
        c.deflected,
        c.tickets ? Math.round((c.deflected / c.tickets) * 10_000) / 10_000 : 0,
        c.confirmed,
        c.unconfirmed,
        c.escalated,
        '',
        '',
        '',
        '',
        '',
        '',
      ]);
    }
  }
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const CATEGORY_NAMES: Record<string, string> = {
  password_reset: 'Passwords and sign-in',
  software_access: 'Access and licences',
  vpn_remote_access: 'VPN and remote access',
  printer_peripheral: 'Printers and devices',
  software_error: 'Software errors',
  engineering: 'Engineering work',
  unclassified: 'Not classified',
};

const weekLabel = (week: string) =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(week),
  );
const dayLabel = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(iso));

interface Series {
  name: string;
  color: string;
  values: number[];
}

/** A bar chart over the weeks, stacked when there are several series; its numbers are in the table below. */
function barChart(
  id: string,
  title: string,
  desc: string,
  weeks: WeekFigures[],
  series: Series[],
  unit = '',
): string {
  const width = 720;
  const height = 260;
  const left = 48;
  const bottom = 36;
  const top = 16;
  const plotH = height - top - bottom;
  const plotW = width - left - 12;
  const totals = weeks.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const step = niceStep(max);
  const yMax = Math.ceil(max / step) * step;
  const slot = plotW / Math.max(1, weeks.length);
  const barW = Math.min(48, slot * 0.7);
  const y = (v: number) => top + plotH - (v / yMax) * plotH;
  const grid: string[] = [];
  for (let v = 0; v <= yMax + 1e-9; v += step)
    grid.push(
      `<line x1="${left}" x2="${width - 12}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>` +
        `<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#555">${formatTick(v)}${unit}</text>`,
    );
  const bars = weeks.map((w, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    let base = 0;
    const parts = series.map((s) => {
      const v = s.values[i] ?? 0;
      const rect =
        v > 0
          ? `<rect x="${x.toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" fill="${s.color}"><title>${escapeHtml(`${weekLabel(w.week)}: ${s.name} ${formatTick(v)}${unit}`)}</title></rect>`
          : '';
      base += v;
      return rect;
    });
    const label =
      weeks.length <= 16 || i % Math.ceil(weeks.length / 16) === 0
        ? `<text x="${(x + barW / 2).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" font-size="11" fill="#555">${escapeHtml(weekLabel(w.week))}</text>`
        : '';
    return parts.join('') + label;
  });
  const legend =
    series.length > 1
      ? `<p class="legend">${series.map((s) => `<span><i style="background:${s.color}"></i>${escapeHtml(s.name)}</span>`).join('')}</p>`
      : '';
  return (
    `<figure><figcaption id="${id}-title">${escapeHtml(title)}</figcaption>${legend}` +
    `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${id}-t ${id}-d" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-t">${escapeHtml(title)}</title><desc id="${id}-d">${escapeHtml(desc)}</desc>` +
    `${grid.join('')}<line x1="${left}" x2="${width - 12}" y1="${y(0)}" y2="${y(0)}" stroke="#888"/>${bars.join('')}</svg></figure>`
  );
}

function niceStep(max: number): number {
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const f = rough / magnitude;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
}

const formatTick = (v: number) => String(Math.round(v * 10) / 10);

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;max-width:60rem;margin:2rem auto;padding:0 1.5rem;line-height:1.5}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:2px solid #1b5e9e;padding-bottom:.3rem}
.period{color:#555;margin-top:0}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.8rem;margin:1.5rem 0}
.tile{border:1px solid #d0d7de;border-radius:.5rem;padding:.8rem 1rem;background:#f8fafc}
.tile b{display:block;font-size:1.6rem;color:#1b5e9e}.tile span{font-size:.9rem;color:#444}
figure{margin:1.5rem 0}figcaption{font-weight:600;margin-bottom:.3rem}
.legend{margin:.2rem 0;font-size:.9rem}.legend span{margin-right:1.2rem;white-space:nowrap}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.35rem;vertical-align:-1px;border-radius:2px}
table{border-collapse:collapse;width:100%;font-size:.92rem;margin:1rem 0}th,td{border-bottom:1px solid #e1e4e8;padding:.35rem .5rem;text-align:right}th:first-child,td:first-child{text-align:left}
th{background:#f1f4f8}dt{font-weight:600;margin-top:.6rem}dd{margin-left:0;color:#333}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}figure,table{break-inside:avoid}}
`;

/** The report as one HTML file: no script, no external font, picture or stylesheet. */
export function metricsHtml(m: ClientMetrics, clientName: string, generatedAt: string): string {
  const weeks = m.weekly;
  const last = new Date(Date.parse(m.to) - 1).toISOString();
  const tile = (value: string, label: string) =>
    `<div class="tile"><b>${escapeHtml(value)}</b><span>${escapeHtml(label)}</span></div>`;
  const tiles = [
    tile(String(m.tickets), 'tickets received'),
    tile(
      percent(m.deflection.verified),
      `resolved by automation and confirmed by the requester (${m.deflection.verifiedCount} of ${m.tickets})`,
    ),
    tile(humanDuration(m.firstResponseMs.p50), 'typical time to a first real answer (median)'),
    tile(humanDuration(m.resolutionMs.p50), 'typical time to resolution (median)'),
    tile(
      m.csat.average === null ? '–' : `${m.csat.average} / 5`,
      `satisfaction from ${m.csat.responses} rating${m.csat.responses === 1 ? '' : 's'}`,
    ),
    tile(
      m.engineerInterruptionsPerDay === null ? '–' : String(m.engineerInterruptionsPerDay),
      'engineer interruptions per working day',
    ),
    tile(String(m.slaBreaches.response + m.slaBreaches.resolution), 'SLA deadlines missed'),
    tile(percent(m.reopenRate), 'tickets reopened'),
  ].join('');
  const ending = (e: keyof WeekFigures['endings']) => weeks.map((w) => w.endings[e]);
  const charts = [
    barChart(
      'tickets',
      'Tickets by week and how they ended',
      'Stacked bars per week, each ticket once: resolved by automation and confirmed, handled by an engineer, closed after no answer, and open or still inside the reopen window.',
      weeks,
      [
        { name: 'Resolved by automation, confirmed', color: '#1b7f4b', values: ending('deflected') },
        { name: 'Handled by an engineer', color: '#1b5e9e', values: ending('engineer') },
        { name: 'Closed after no answer', color: '#9aa5b1', values: ending('no_answer') },
        {
          name: 'Open, or confirmed and inside the reopen window',
          color: '#e0a526',
          values: weeks.map((w) => w.endings.open + w.endings.awaiting_window),
        },
      ],
    ),
    barChart(
      'deflection',
      'Verified deflection by week',
      'Per week, the share of tickets resolved by automation, confirmed by the requester and not reopened.',
      weeks,
      [
        {
          name: 'Verified deflection',
          color: '#1b7f4b',
          values: weeks.map((w) => Math.round(w.verifiedDeflection * 1000) / 10),
        },
      ],
      '%',
    ),
    barChart(
      'first-response',
      'Time to first response by week (median, minutes)',
      'Per week, the median minutes from a ticket arriving to the first message that answered it.',
      weeks,
      [
        {
          name: 'First response',
          color: '#1b5e9e',
          values: weeks.map((w) => Math.round(((w.firstResponseP50Ms ?? 0) / MINUTE) * 10) / 10),
        },
      ],
    ),
    barChart(
      'interruptions',
      'Engineer interruptions by week',
      'Per week, the escalations, tier alerts and pages that reached an engineer.',
      weeks,
      [{ name: 'Interruptions', color: '#b4461f', values: weeks.map((w) => w.engineerInterruptions) }],
    ),
  ].join('');
  const categoryRows = Object.entries(m.byCategory)
    .sort((a, b) => b[1].tickets - a[1].tickets)
    .map(
      ([c, f]) =>
        `<tr><td>${escapeHtml(CATEGORY_NAMES[c] ?? c)}</td><td>${f.tickets}</td><td>${f.deflected}</td><td>${percent(f.tickets ? f.deflected / f.tickets : 0)}</td><td>${f.unconfirmed}</td><td>${f.escalated}</td></tr>`,
    )
    .join('');
  const weekRows = weeks
    .map(
      (w) =>
        `<tr><td>${escapeHtml(weekLabel(w.week))}</td><td>${w.tickets}</td><td>${w.verified}</td><td>${percent(w.verifiedDeflection)}</td><td>${w.unconfirmed}</td><td>${w.escalated}</td><td>${escapeHtml(humanDuration(w.firstResponseP50Ms))}</td><td>${w.engineerInterruptions}</td><td>${w.csatAverage ?? '–'}</td></tr>`,
    )
    .join('');
  const timeRow = (label: string, p: { p50: number | null; p95: number | null }, b: { p50: number | null }) =>
    `<tr><td>${label}</td><td>${escapeHtml(humanDuration(p.p50))}</td><td>${escapeHtml(humanDuration(p.p95))}</td><td>${escapeHtml(humanDuration(b.p50))}</td></tr>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(`Support outcomes: ${clientName}`)}</title><style>${STYLE}</style></head>
<body><main>
<h1>Support outcomes: ${escapeHtml(clientName)}</h1>
<p class="period">${escapeHtml(`${dayLabel(m.from)} to ${dayLabel(last)}`)} · tickets counted by the day they arrived</p>
<section class="tiles" aria-label="Summary">${tiles}</section>
<h2>Trends</h2>${charts}
<h2>How fast</h2>
<table><thead><tr><th scope="col"></th><th scope="col">Typical (median)</th><th scope="col">Slowest 5% from</th><th scope="col">In working hours (median)</th></tr></thead><tbody>
${timeRow('Acknowledgement', m.acknowledgementMs, m.acknowledgementBusinessMs)}
${timeRow('First response', m.firstResponseMs, m.firstResponseBusinessMs)}
${timeRow('Resolution', m.resolutionMs, m.resolutionBusinessMs)}
${timeRow('Escalated ticket handled', m.escalationHandleMs, m.escalationHandleBusinessMs)}
</tbody></table>
<h2>By kind of request</h2>
<table><thead><tr><th scope="col">Kind</th><th scope="col">Tickets</th><th scope="col">Deflected</th><th scope="col">Share</th><th scope="col">Closed after no answer</th><th scope="col">Escalated</th></tr></thead><tbody>${categoryRows}</tbody></table>
<h2>Week by week</h2>
<table><thead><tr><th scope="col">Week of</th><th scope="col">Tickets</th><th scope="col">Deflected</th><th scope="col">Share</th><th scope="col">No answer</th><th scope="col">Escalated</th><th scope="col">First response</th><th scope="col">Interruptions</th><th scope="col">Satisfaction</th></tr></thead><tbody>${weekRows}</tbody></table>
<h2>What the figures mean</h2>
<dl>
<dt>Deflected (verified)</dt><dd>Tickets automation resolved, that the requester confirmed were fixed, and that were not reopened within the reopen window, out of all tickets received. ${m.deflection.confirmed} were confirmed, ${m.deflection.reopened} of them came back, ${m.deflection.awaitingReopenWindow} are still inside the window.</dd>
<dt>Closed after no answer</dt><dd>${m.deflection.unconfirmed} ticket${m.deflection.unconfirmed === 1 ? ' was' : 's were'} closed because the requester did not reply after the steps and a reminder. They are shown apart and never counted as deflected.</dd>
<dt>First response</dt><dd>From the ticket arriving to the first message that answered it: the steps to fix it, or an engineer's first reply or fix. The automatic "we've got your request" acknowledgement does not count.</dd>
<dt>Engineer interruptions</dt><dd>Escalations, tier alerts and pages that reached an engineer (${m.engineerInterruptions} in all); a repeated page about the same ticket within 30 minutes counts once. Per working day of your business hours.</dd>
<dt>SLA deadlines missed</dt><dd>${m.slaBreaches.response} first response${m.slaBreaches.response === 1 ? '' : 's'} after the response deadline and ${m.slaBreaches.resolution} ticket${m.slaBreaches.resolution === 1 ? '' : 's'} past the resolution deadline.</dd>
<dt>Satisfaction</dt><dd>The one-click rating (1 to 5) in the closing email; ${m.csat.responses} requester${m.csat.responses === 1 ? '' : 's'} rated.</dd>
<dt>Self-service</dt><dd>${m.selfServiceDeflections} requester${m.selfServiceDeflections === 1 ? '' : 's'} found the answer on the portal before filing a ticket (counted apart from tickets).</dd>
</dl>
<p class="period">Generated ${escapeHtml(dayLabel(generatedAt))} by autotier.</p>
</main></body></html>
`;
}
