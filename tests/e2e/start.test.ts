import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { devConnectionString, ensureAzurite, isListening } from '../../src/local/azurite';
import { freePort, launchStart, START_JS, waitFor } from '../support/npmStart';
import { APP_ROOT } from '../support/runtime';
import { table, uniqueName } from '../support/storage';

describe('npm start (dist/src/local/start.js)', () => {
  let child: ChildProcess | undefined;
  after(() => child?.kill('SIGTERM'));

  it('serves the app, seeds the demo client, and prints where to post a ticket', async () => {
    const port = await freePort();
    const prefix = uniqueName('start');
    child = spawn(process.execPath, [START_JS], {
      env: {
        ...process.env,
        PORT: String(port),
        AUTOTIER_TASK_HUB: uniqueName('start'),
        AUTOTIER_TABLE_PREFIX: prefix,
        AUTOTIER_PUBLIC_BASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child?.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('curl -s -X POST')) resolve();
      });
      child?.once('exit', (code) => reject(new Error(`start exited with ${code}: ${out}`)));
    });
    const url = `http://127.0.0.1:${port}`;
    assert.match(out, new RegExp(`autotier is running at ${url}`));
    assert.match(out, new RegExp(`${url}/api/tickets`));

    const demo = await table(`${prefix}Clients`).getEntity<{ profile: string }>('client', 'demo');
    assert.equal((JSON.parse(demo.profile) as { clientId: string }).clientId, 'demo');

    const res = await fetch(`${url}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        clientId: 'demo',
        requester: { email: 'first@demo.example' },
        subject: 'Printer offline',
        body: 'Reception printer says offline.',
      }),
    });
    assert.equal(res.status, 202);
    const { ticketId, statusUrl } = (await res.json()) as { ticketId: string; statusUrl: string };
    assert.equal(statusUrl, `${url}/api/tickets/${ticketId}`);
    const deadline = Date.now() + 10_000;
    let mails: { subject: string }[] = [];
    while (mails.length === 0 && Date.now() < deadline) {
      mails = (await (await fetch(`${url}/api/dev/outbox?to=first@demo.example`)).json()) as {
        subject: string;
      }[];
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(mails[0]?.subject, `[#${ticketId}] We've got your request: Printer offline`);
  });

  it('refuses to start when a Key Vault reference did not resolve, naming the setting', async () => {
    const refused = spawn(process.execPath, [START_JS], {
      env: {
        ...process.env,
        PORT: String(await freePort()),
        AUTOTIER_TASK_HUB: uniqueName('start'),
        AUTOTIER_TABLE_PREFIX: uniqueName('start'),
        AUTOTIER_WEBHOOK_SECRETS:
          '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/webhook-secret)',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    refused.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => refused.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(err, /AUTOTIER_WEBHOOK_SECRETS is a Key Vault reference that did not resolve/);
  });

  describe('the embedded default keeps what it accepted', () => {
    /** Three free ports in a row for an Azurite of the test's own. */
    const freeBase = async () => {
      for (;;) {
        const base = 20_000 + Math.floor(Math.random() * 9_000);
        const open = await Promise.all([0, 1, 2].map((i) => isListening(base + i)));
        if (!open.some(Boolean)) return base;
      }
    };
    const post = (url: string, email: string) =>
      fetch(`${url}/api/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          clientId: 'demo',
          requester: { email },
          subject: 'VPN drops',
          body: 'FortiClient disconnects.',
        }),
      });
    const mailsTo = async (url: string, email: string) =>
      (await (await fetch(`${url}/api/dev/outbox?to=${email}`)).json()) as { subject: string }[];

    it('Ctrl-C right after a ticket was accepted loses nothing: it is there, acknowledged once, after a restart', async () => {
      const port = await freePort();
      const env = {
        PORT: String(port),
        AUTOTIER_AZURITE_PORT_BASE: String(await freeBase()),
        AUTOTIER_LOCAL_DATA: mkdtempSync(path.join(tmpdir(), 'autotier-data-')),
        AUTOTIER_TASK_HUB: uniqueName('ctrlc'),
        AUTOTIER_TABLE_PREFIX: uniqueName('ctrlc'),
        AzureWebJobsStorage: '',
        AUTOTIER_PUBLIC_BASE_URL: '',
      };
      const url = `http://127.0.0.1:${port}`;
      const first = launchStart(env);
      await first.ready;
      const res = await post(url, 'ctrlc@demo.example');
      assert.equal(res.status, 202);
      const { ticketId } = (await res.json()) as { ticketId: string };
      process.kill(-(first.proc.pid ?? 0), 'SIGINT');
      assert.equal(await first.exited, 0, first.output());

      const second = launchStart(env);
      try {
        await second.ready;
        assert.equal((await fetch(`${url}/api/tickets/${ticketId}`)).status, 200, 'the ticket survived');
        assert.ok(
          await waitFor(
            async () =>
              (await mailsTo(url, 'ctrlc@demo.example')).some((m) =>
                m.subject.includes("We've got your request"),
              ),
            15_000,
          ),
          'acknowledged',
        );
        const acks = (await mailsTo(url, 'ctrlc@demo.example')).filter((m) =>
          m.subject.includes("We've got your request"),
        );
        assert.equal(acks.length, 1);
      } finally {
        process.kill(-(second.proc.pid ?? 0), 'SIGINT');
        await second.exited;
      }
    });

    it('kill -9 of the app (storage running apart): a restart resumes every ticket within seconds, no mail sent twice', async () => {
      const base = await freeBase();
      const ports = { blob: base, queue: base + 1, table: base + 2 };
      const storage = await ensureAzurite({ appRoot: APP_ROOT, quiet: true, ports });
      const port = await freePort();
      const env = {
        PORT: String(port),
        AzureWebJobsStorage: devConnectionString(ports),
        AUTOTIER_LOCAL_DATA: mkdtempSync(path.join(tmpdir(), 'autotier-data-')),
        AUTOTIER_TASK_HUB: uniqueName('kill'),
        AUTOTIER_TABLE_PREFIX: uniqueName('kill'),
        AUTOTIER_PUBLIC_BASE_URL: '',
      };
      const url = `http://127.0.0.1:${port}`;
      try {
        const first = launchStart(env);
        await first.ready;
        const emails = ['k1@demo.example', 'k2@demo.example', 'k3@demo.example'];
        for (const email of emails) assert.equal((await post(url, email)).status, 202);
        first.proc.kill('SIGKILL');
        await first.exited;

        const second = launchStart(env);
        const restarted = Date.now();
        try {
          await second.ready;
          const settled = await waitFor(async () => {
            for (const email of emails) {
              const subjects = (await mailsTo(url, email)).map((m) => m.subject);
              if (!subjects.some((s) => s.includes('Did this resolve') || /Connecting|VPN/.test(s)))
                return false;
              if (subjects.length < 2) return false;
            }
            return true;
          }, 30_000);
          assert.ok(settled, 'every ticket got its acknowledgement and guide');
          const resumedInMs = Date.now() - restarted;
          assert.ok(resumedInMs < 25_000, `resumed in ${resumedInMs} ms`);
          for (const email of emails) {
            const subjects = (await mailsTo(url, email)).map((m) => m.subject);
            assert.equal(new Set(subjects).size, subjects.length, `no mail twice: ${subjects.join(' | ')}`);
          }
        } finally {
          process.kill(-(second.proc.pid ?? 0), 'SIGINT');
          await second.exited;
        }
      } finally {
        await storage.stop();
      }
    });

    it('storage goes away: requests answer 503 with Retry-After and a JSON error, not 500', async () => {
      const base = await freeBase();
      const ports = { blob: base, queue: base + 1, table: base + 2 };
      const storage = await ensureAzurite({ appRoot: APP_ROOT, quiet: true, ports });
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const app = launchStart({
        PORT: String(port),
        AzureWebJobsStorage: devConnectionString(ports),
        AUTOTIER_LOCAL_DATA: mkdtempSync(path.join(tmpdir(), 'autotier-data-')),
        AUTOTIER_TASK_HUB: uniqueName('outage'),
        AUTOTIER_TABLE_PREFIX: uniqueName('outage'),
        AUTOTIER_PUBLIC_BASE_URL: '',
      });
      try {
        await app.ready;
        assert.equal((await post(url, 'before@demo.example')).status, 202);
        await storage.stop();
        const started = Date.now();
        const res = await post(url, 'during@demo.example');
        assert.equal(res.status, 503);
        assert.equal(res.headers.get('retry-after'), '30');
        assert.match(((await res.json()) as { error: string }).error, /cannot reach its storage/);
        assert.ok(Date.now() - started < 5_000, `answered in ${Date.now() - started} ms`);
        const view = await fetch(`${url}/api/tickets/T-1001`);
        assert.equal(view.status, 503);
      } finally {
        app.proc.kill('SIGKILL');
        await app.exited;
        await storage.stop();
      }
    });

    it('AUTOTIER_VIRTUAL_CLOCK=1 moves time on request: a day later the reminder is out', async () => {
      const port = await freePort();
      const env = {
        PORT: String(port),
        AUTOTIER_VIRTUAL_CLOCK: '1',
        AUTOTIER_TASK_HUB: uniqueName('clock'),
        AUTOTIER_TABLE_PREFIX: uniqueName('clock'),
        AUTOTIER_PUBLIC_BASE_URL: '',
      };
      const url = `http://127.0.0.1:${port}`;
      const app = launchStart(env);
      try {
        await app.ready;
        assert.equal((await post(url, 'clock@demo.example')).status, 202);
        assert.ok(await waitFor(async () => (await mailsTo(url, 'clock@demo.example')).length >= 2, 10_000));
        const before = (await mailsTo(url, 'clock@demo.example')).length;
        const moved = await fetch(`${url}/_local/clock`, {
          method: 'POST',
          body: JSON.stringify({ advanceMs: 25 * 3600_000 }),
        });
        assert.equal(moved.status, 200);
        const { now } = (await moved.json()) as { now: string };
        assert.ok(Date.parse(now) > Date.now() + 24 * 3600_000);
        const after = await mailsTo(url, 'clock@demo.example');
        assert.equal(after.length, before + 1, 'the reminder went out once the clock passed it');
      } finally {
        process.kill(-(app.proc.pid ?? 0), 'SIGINT');
        await app.exited;
      }
    });
  });
});

describe('npm start again with nothing changed', () => {
  it('neither compiles nor trains: it says so, and dist/ and the model are not rewritten', async () => {
    // What a start could rewrite: the compiled app, tsc's state, the build's stamp, the model.
    const watched = [
      'src/local/start.js',
      'src/index.js',
      '.tsbuildinfo',
      '.build-stamp.json',
      'models/builtin.bin.gz',
    ].map((f) => path.join(APP_ROOT, 'dist', f));
    const before = watched.map((f) => statSync(f).mtimeMs);
    const port = await freePort();
    // npm itself (the one running the tests when there is one): `npm start` is build, then start.
    const npmCli = process.env.npm_execpath;
    const [command, args] = npmCli?.endsWith('.js')
      ? [process.execPath, [npmCli, 'start']]
      : ['npm', ['start']];
    const app = spawn(command, args, {
      cwd: APP_ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        AUTOTIER_TASK_HUB: uniqueName('warm'),
        AUTOTIER_TABLE_PREFIX: uniqueName('warm'),
        AUTOTIER_PUBLIC_BASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    app.stdout.on('data', (c: Buffer) => (out += c.toString()));
    app.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => app.once('exit', resolve));
    try {
      assert.ok(
        await waitFor(
          () => Promise.resolve(out.includes('curl -s -X POST') || app.exitCode !== null),
          120_000,
        ),
        out,
      );
      assert.equal((await fetch(`http://127.0.0.1:${port}/api/health`)).status, 200, out);
      assert.match(out, /^tsc: sources unchanged since the last build, nothing to compile$/m);
      assert.match(out, /^model: data and training code unchanged, keeping dist\/models\/builtin\.bin\.gz$/m);
      assert.doesNotMatch(out, /^trained on /m);
      assert.deepEqual(
        watched.map((f) => statSync(f).mtimeMs),
        before,
        'nothing in dist/ was rewritten',
      );
    } finally {
      process.kill(-(app.pid ?? 0), 'SIGINT');
      await exited;
      // npm exits at once; start.js finishes its work in hand after it: wait for the whole group.
      await waitFor(() => {
        try {
          process.kill(-(app.pid ?? 0), 0);
          return Promise.resolve(false);
        } catch {
          return Promise.resolve(true);
        }
      }, 60_000);
    }
  });
});
