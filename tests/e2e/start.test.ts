import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { APP_ROOT } from '../support/runtime';
import { table, uniqueName } from '../support/storage';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

describe('npm start (dist/src/local/start.js)', () => {
  let child: ChildProcess | undefined;
  after(() => child?.kill('SIGTERM'));

  it('serves the app, seeds the demo client, and prints where to post a ticket', async () => {
    const port = await freePort();
    const prefix = uniqueName('start');
    child = spawn(process.execPath, [path.join(APP_ROOT, 'dist', 'src', 'local', 'start.js')], {
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
    const refused = spawn(process.execPath, [path.join(APP_ROOT, 'dist', 'src', 'local', 'start.js')], {
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
});
