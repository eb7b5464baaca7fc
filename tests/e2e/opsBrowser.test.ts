import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { dumpDom, findChromium, screenshot } from '../support/chromium';
import { appUnderTest } from '../support/ticketApi';

const chromium = findChromium();

/** Figures in the shape `GET /api/metrics` answers, for the charts when that route is not in this app. */
const SAMPLE_METRICS = {
  clientId: 'demo',
  from: '2026-01-05T00:00:00.000Z',
  to: '2026-03-02T00:00:00.000Z',
  tickets: 212,
  deflection: { verified: 0.58, confirmed: 131, unconfirmed: 14, reopened: 8 },
  acknowledgementMs: { p50: 2_100, p95: 6_400 },
  firstResponseMs: { p50: 48_000, p95: 95_000 },
  resolutionMs: { p50: 3_600_000, p95: 30_000_000 },
  reopenRate: 0.04,
  csat: { responses: 61, average: 4.4 },
  engineerInterruptionsPerDay: 6.5,
  slaBreaches: { response: 0, resolution: 3 },
  escalationHandleMs: { p50: 5_400_000, p95: 20_000_000 },
  byCategory: {
    password_reset: { tickets: 70, deflected: 55 },
    software_access: { tickets: 40, deflected: 26 },
    printer_peripheral: { tickets: 38, deflected: 24 },
    engineering: { tickets: 32, deflected: 0 },
  },
  weekly: Array.from({ length: 8 }, (_, i) => ({
    week: `2026-W0${i + 2}`,
    tickets: 22 + ((i * 7) % 9),
    verifiedDeflection: 0.5 + i * 0.02,
  })),
};

describe(
  'the ops page in a real browser (headless Chromium)',
  { skip: chromium ? false : 'no chromium binary found (install Debian’s chromium, or set CHROMIUM_BIN)' },
  () => {
    const app = appUnderTest();
    const bin = chromium ?? '';
    const ids: string[] = [];
    let outage = '';
    /** The app's own pages, next to a stand-in `/api/metrics`: the charts need one to draw. */
    let withMetrics: http.Server | undefined;
    let withMetricsUrl = '';

    before(async () => {
      const file = (email: string, subject: string, body: string, name?: string) =>
        app.api.file(email, subject, body, name);
      ids.push(
        await file(
          'ana@demo.example',
          'Forgot my password',
          'I forgot my password and cannot sign in.',
          'Ana Diaz',
        ),
      );
      ids.push(
        await file('ben@demo.example', 'Mouse not working', 'My wireless mouse stopped working', 'Ben Ortiz'),
      );
      await app.api.click(app.api.link((await app.api.mails('ben@demo.example'))[1], 'yes'));
      ids.push(
        await file(
          'cara@demo.example',
          'VPN keeps dropping',
          'FortiClient disconnects every few minutes at home.',
          'Cara Singh',
        ),
      );
      await app.api.event(ids[2] ?? '', {
        type: 'reply',
        from: 'cara@demo.example',
        text: 'No, it still drops every few minutes.',
      });
      outage = await file(
        'dev@demo.example',
        'File server down',
        'The file server is down and nobody can open the shared drive',
        'Dev Patel',
      );
      ids.push(outage);
      ids.push(
        await file(
          'eli@demo.example',
          'Printer offline at Riverside',
          'The Riverside printer shows offline.',
          'Eli Moss',
        ),
      );
      // A workflow that failed (started without its input) and one that is overdue (suspended, so
      // its tier time limit passes without it waking): the states the filters are for.
      ids.push(await app.api.failedWorkflow('Outlook crashes on start', 'fay@demo.example'));
      await app.api.suspend(ids[2] ?? '');
      await app.rt.runtime.advance(45 * 60 * 1000);
      withMetrics = http.createServer((req, res) => {
        if (req.url?.startsWith('/api/metrics')) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(SAMPLE_METRICS));
          return;
        }
        void fetch(`${app.rt.runtime.url}${req.url ?? '/'}`).then(async (upstream) => {
          res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
          res.end(Buffer.from(await upstream.arrayBuffer()));
        });
      });
      await new Promise<void>((resolve) => withMetrics?.listen(0, '127.0.0.1', resolve));
      withMetricsUrl = `http://127.0.0.1:${(withMetrics.address() as AddressInfo).port}`;
    });
    after(() => withMetrics?.close());

    it('renders the list with every ticket; without a metrics route the metrics stay hidden', async () => {
      const dom = await dumpDom(bin, `${app.rt.runtime.url}/api/ops`);
      for (const id of ids) assert.match(dom, new RegExp(`<tr[^>]*data-ticket-id="${id}"`), id);
      assert.match(dom, /<th scope="col">Next deadline<\/th>/);
      assert.match(dom, /<section id="metrics" class="card" hidden=""/, 'no /api/metrics here: hidden');
      assert.match(dom, /File server down/);
      assert.match(dom, /<strong class="flag">Overdue<\/strong>/);
      assert.match(dom, /<span class="badge Failed">Failed<\/span>/);
      assert.match(dom, /<label for="f-stage">Stage<\/label>/);
    });

    it('draws the metrics as charts when /api/metrics answers, under the page’s CSP', async () => {
      const dom = await dumpDom(bin, `${withMetricsUrl}/api/ops`);
      assert.doesNotMatch(dom, /<section id="metrics"[^>]*hidden/, 'shown');
      assert.match(dom, /<div class="value">58%<\/div><div class="label">Verified deflection<\/div>/);
      assert.match(dom, /<div class="value">4\.4 of 5 \(61\)<\/div>/);
      assert.match(dom, /<svg[^>]*role="img"[^>]*aria-label="Tickets per week/);
      assert.match(dom, /<svg[^>]*role="img"[^>]*aria-label="Tickets by category/);
      assert.match(dom, /<text[^>]*>password reset<\/text>/);
    });

    it('renders a ticket page with its timeline and Durable history', async () => {
      const dom = await dumpDom(bin, `${app.rt.runtime.url}/api/ops/tickets/${outage}`);
      assert.match(dom, new RegExp(`<h1>${outage}: File server down</h1>`));
      assert.match(dom, /<h2 id="timeline-h">Timeline<\/h2>/);
      assert.match(dom, /<td>TaskCompleted<\/td><td>triageTicket<\/td>/);
      assert.match(dom, /Suggested steps/);
    });

    it('screenshots the list and a ticket page (AUTOTIER_OPS_SCREENSHOTS=<dir> keeps them)', async () => {
      const kept = process.env.AUTOTIER_OPS_SCREENSHOTS;
      const out = kept ? path.resolve(kept) : mkdtempSync(path.join(tmpdir(), 'autotier-ops-'));
      mkdirSync(out, { recursive: true });
      const shots: [string, string, string?][] = [
        [`${app.rt.runtime.url}/api/ops`, 'ops-list.png'],
        [`${app.rt.runtime.url}/api/ops/tickets/${outage}`, 'ops-ticket.png', '1400,1800'],
        [`${withMetricsUrl}/api/ops?client=demo`, 'ops-list-metrics.png', '1400,1400'],
      ];
      for (const [url, name, size] of shots) {
        await screenshot(bin, url, path.join(out, name), size);
        const png = readFileSync(path.join(out, name));
        assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', name);
      }
      if (!kept) rmSync(out, { recursive: true, force: true });
    });
  },
);
