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

describe(
  'the requester portal in a real browser (headless Chromium)',
  { skip: chromium ? false : 'no chromium binary found (install Debian’s chromium, or set CHROMIUM_BIN)' },
  () => {
    const app = appUnderTest();
    const bin = chromium ?? '';
    /**
     * The app behind a proxy that fills the form's subject in, as if the requester had typed it:
     * the portal never takes what people type from its URL.
     */
    let typed: http.Server | undefined;
    let typedUrl = '';
    let statusUrl = '';

    before(async () => {
      typed = http.createServer((req, res) => {
        void (async () => {
          const upstream = await fetch(`${app.rt.runtime.url}${req.url ?? '/'}`, {
            headers: { accept: req.headers.accept ?? '*/*' },
          });
          let body = Buffer.from(await upstream.arrayBuffer());
          if (req.url === '/api/portal/demo')
            body = Buffer.from(
              body
                .toString('utf8')
                .replace(
                  'name="email" required maxlength="254" autocomplete="email" value=""',
                  'name="email" required maxlength="254" autocomplete="email" value="ana@demo.example"',
                )
                .replace(
                  'name="name" maxlength="200" autocomplete="name" value=""',
                  'name="name" maxlength="200" autocomplete="name" value="Ana Diaz"',
                )
                .replace('autocomplete="off" value=""', 'autocomplete="off" value="Printer offline again"'),
            );
          const headers: Record<string, string> = {};
          upstream.headers.forEach((v, k) => {
            if (k !== 'content-length' && k !== 'content-encoding' && k !== 'transfer-encoding')
              headers[k] = v;
          });
          res.writeHead(upstream.status, headers).end(body);
        })();
      });
      await new Promise<void>((resolve) => typed?.listen(0, '127.0.0.1', resolve));
      typedUrl = `http://127.0.0.1:${(typed.address() as AddressInfo).port}`;

      const page = await (await fetch(`${app.rt.runtime.url}/api/portal/demo`)).text();
      const token = /name="form" value="([^"]+)"/.exec(page)?.[1] ?? '';
      const res = await fetch(`${app.rt.runtime.url}/api/portal/demo/tickets`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          form: token,
          email: 'ben@demo.example',
          name: 'Ben Ortiz',
          subject: 'Mouse not working',
          description: 'My wireless mouse stopped working this morning.',
        }).toString(),
      });
      assert.equal(res.status, 303);
      statusUrl = res.headers.get('location') ?? '';
      await app.rt.runtime.drain();
    });
    after(() => typed?.close());

    it('lists matching articles as the requester types, each with "This solved it"', async () => {
      const dom = await dumpDom(bin, `${typedUrl}/api/portal/demo`);
      assert.match(dom, /<section id="suggestions" class="card suggestions" aria-live="polite">/);
      assert.match(dom, /Getting the Main Street HP printer working again<\/a>/);
      assert.match(
        dom,
        /<button type="submit" class="secondary" formaction="\/api\/portal\/demo\/solved" formmethod="post" formnovalidate="" name="article" value="printer-hp-m404">This solved it<\/button>/,
      );
      assert.match(dom, /I still need help: send my request/);
    });

    it('shows the status page with the guide and the yes/no buttons', async () => {
      const dom = await dumpDom(bin, statusUrl);
      assert.match(dom, /Did this resolve your issue\?/);
      assert.match(dom, /<button type="submit" name="action" value="yes">/);
    });

    it('screenshots the form with suggestions and a status page (AUTOTIER_PORTAL_SCREENSHOTS=<dir> keeps them)', async () => {
      const kept = process.env.AUTOTIER_PORTAL_SCREENSHOTS;
      const out = kept ? path.resolve(kept) : mkdtempSync(path.join(tmpdir(), 'autotier-portal-'));
      mkdirSync(out, { recursive: true });
      const shots: [string, string, string][] = [
        [`${typedUrl}/api/portal/demo`, 'portal.png', '800,1250'],
        [statusUrl, 'portal-status.png', '800,1500'],
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
