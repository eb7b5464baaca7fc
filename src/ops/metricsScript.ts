/**
 * The ops page's only script: it asks this app's `GET /api/metrics` for the figures and, when it
 * answers, shows them as tiles and plain SVG charts (no library, nothing fetched from elsewhere).
 * When the route is missing (404), refuses (401 without a key) or fails, the section stays hidden;
 * the rest of the page works without script. Everything is built with DOM calls and textContent,
 * never innerHTML, so no figure can become markup.
 */
export const METRICS_SCRIPT = `(function () {
  'use strict';
  var section = document.getElementById('metrics');
  if (!section || !window.fetch || !window.URL) return;
  var SVG = 'http://www.w3.org/2000/svg';
  var url = new URL('metrics', document.baseURI);
  var client = section.getAttribute('data-client');
  if (client) url.searchParams.set('clientId', client);
  fetch(url.href, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
    .then(function (res) { return res.ok ? res.json() : null; })
    .then(function (m) { if (m && typeof m === 'object' && typeof m.tickets === 'number') show(m); })
    .catch(function () {});

  function num(v) { return typeof v === 'number' && isFinite(v) ? v : undefined; }
  function pct(v) { return num(v) === undefined ? undefined : Math.round(v * 1000) / 10 + '%'; }
  function dur(ms) {
    if (num(ms) === undefined) return undefined;
    if (ms < 1000) return Math.round(ms) + ' ms';
    if (ms < 60000) return Math.round(ms / 1000) + ' s';
    if (ms < 3600000) return Math.round(ms / 60000) + ' min';
    if (ms < 172800000) return Math.round(ms / 360000) / 10 + ' h';
    return Math.round(ms / 8640000) / 10 + ' d';
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function pick(obj, path) {
    return path.split('.').reduce(function (o, k) { return o && typeof o === 'object' ? o[k] : undefined; }, obj);
  }

  function show(m) {
    var range = document.getElementById('metrics-range');
    if (range && m.from && m.to) range.textContent = 'Tickets received from ' + String(m.from).slice(0, 10) + ' up to ' + String(m.to).slice(0, 10) + ', from GET /api/metrics.';
    var tiles = document.getElementById('metrics-tiles');
    var figures = [
      ['Tickets', num(m.tickets)],
      ['Verified deflection', pct(pick(m, 'deflection.verified'))],
      ['Resolved, unconfirmed (silence)', num(pick(m, 'deflection.unconfirmed'))],
      ['Acknowledgement p95', dur(pick(m, 'acknowledgementMs.p95'))],
      ['First response p50', dur(pick(m, 'firstResponseMs.p50'))],
      ['First response p95', dur(pick(m, 'firstResponseMs.p95'))],
      ['Resolution p50', dur(pick(m, 'resolutionMs.p50'))],
      ['Escalation handle p50', dur(pick(m, 'escalationHandleMs.p50'))],
      ['Reopen rate', pct(m.reopenRate)],
      ['Engineer interruptions a day', num(m.engineerInterruptionsPerDay)],
      ['SLA breaches (response / resolution)', num(pick(m, 'slaBreaches.response')) === undefined ? undefined : pick(m, 'slaBreaches.response') + ' / ' + pick(m, 'slaBreaches.resolution')],
      ['Satisfaction (responses)', num(pick(m, 'csat.average')) === undefined ? undefined : Math.round(pick(m, 'csat.average') * 10) / 10 + ' of 5 (' + pick(m, 'csat.responses') + ')']
    ];
    figures.forEach(function (f) {
      if (f[1] === undefined) return;
      var t = el('div', 'tile');
      t.appendChild(el('div', 'value', f[1]));
      t.appendChild(el('div', 'label', f[0]));
      tiles.appendChild(t);
    });
    var charts = document.getElementById('metrics-charts');
    if (Array.isArray(m.weekly) && m.weekly.length) charts.appendChild(weekly(m.weekly));
    if (m.byCategory && typeof m.byCategory === 'object') {
      var rows = Object.keys(m.byCategory).map(function (k) {
        var c = m.byCategory[k] || {};
        return { name: k.replace(/_/g, ' '), tickets: num(c.tickets) || 0, deflected: num(c.deflected) || 0 };
      }).filter(function (r) { return r.tickets > 0; });
      if (rows.length) charts.appendChild(categories(rows));
    }
    section.hidden = false;
  }

  function figure(caption, svgEl) {
    var f = el('figure');
    f.appendChild(el('figcaption', '', caption));
    f.appendChild(svgEl);
    return f;
  }

  function weekly(weeks) {
    var W = 560, H = 220, left = 40, bottom = 40, top = 10;
    var data = weeks.map(function (w) {
      var t = num(w.tickets) || 0, v = num(w.verifiedDeflection) || 0;
      return { week: String(w.week || ''), tickets: t, deflected: v <= 1 ? Math.round(v * t) : v };
    });
    var max = Math.max.apply(null, data.map(function (d) { return d.tickets; }).concat([1]));
    var step = (W - left - 10) / data.length, bw = Math.max(4, step * 0.7);
    var summary = data.map(function (d) { return d.week + ': ' + d.tickets + ' tickets, ' + d.deflected + ' deflected'; }).join('; ');
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', role: 'img', 'aria-label': 'Tickets per week, verified deflections darker. ' + summary });
    s.appendChild(svg('line', { x1: left, y1: H - bottom, x2: W - 5, y2: H - bottom, stroke: '#8a93a3' }));
    s.appendChild(svg('text', { x: left - 6, y: top + 10, 'text-anchor': 'end' }, max));
    s.appendChild(svg('text', { x: left - 6, y: H - bottom, 'text-anchor': 'end' }, 0));
    data.forEach(function (d, i) {
      var x = left + i * step + (step - bw) / 2;
      var h = (H - bottom - top) * d.tickets / max, hd = (H - bottom - top) * d.deflected / max;
      var bar = svg('rect', { x: x, y: H - bottom - h, width: bw, height: h, fill: '#9cc3ec' });
      bar.appendChild(svg('title', {}, d.week + ': ' + d.tickets + ' tickets'));
      s.appendChild(bar);
      var inner = svg('rect', { x: x, y: H - bottom - hd, width: bw, height: hd, fill: '#0b57a4' });
      inner.appendChild(svg('title', {}, d.week + ': ' + d.deflected + ' verified deflections'));
      s.appendChild(inner);
      if (data.length <= 16 || i % Math.ceil(data.length / 16) === 0)
        s.appendChild(svg('text', { x: x + bw / 2, y: H - bottom + 14, 'text-anchor': 'middle' }, d.week.replace(/^\\d{4}-/, '')));
    });
    s.appendChild(svg('text', { x: left, y: H - 6 }, 'light: tickets received; dark: verified deflections'));
    return figure('Tickets per week', s);
  }

  function categories(rows) {
    var W = 560, row = 26, left = 150, H = rows.length * row + 30;
    var max = Math.max.apply(null, rows.map(function (r) { return r.tickets; }).concat([1]));
    var summary = rows.map(function (r) { return r.name + ': ' + r.tickets + ' tickets, ' + r.deflected + ' deflected'; }).join('; ');
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', role: 'img', 'aria-label': 'Tickets by category, verified deflections darker. ' + summary });
    rows.forEach(function (r, i) {
      var y = 6 + i * row, w = (W - left - 60) * r.tickets / max, wd = (W - left - 60) * r.deflected / max;
      s.appendChild(svg('text', { x: left - 8, y: y + 14, 'text-anchor': 'end' }, r.name));
      s.appendChild(svg('rect', { x: left, y: y, width: w, height: 18, fill: '#9cc3ec' }));
      s.appendChild(svg('rect', { x: left, y: y, width: wd, height: 18, fill: '#0b57a4' }));
      s.appendChild(svg('text', { x: left + w + 6, y: y + 14 }, r.tickets + ' (' + r.deflected + ')'));
    });
    s.appendChild(svg('text', { x: left, y: H - 6 }, 'tickets (verified deflections)'));
    return figure('By category', s);
  }
})();`;
