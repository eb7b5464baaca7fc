import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { defaultToLocalStorage, failureLine } from '../../../src/cli/localStorage';
import { isListening } from '../../../src/local/azurite';
import { APP_ROOT } from '../../support/paths';

/** The package's command, run as npx runs it: executed directly, so its exec bit matters. */
const BIN = path.join(APP_ROOT, 'bin', 'autotier.js');

/** Three ports in a row that nothing listens on: an Azurite that is not running. */
async function closedBase(): Promise<number> {
  for (;;) {
    const base = 30_000 + Math.floor(Math.random() * 9_000);
    if (!(await Promise.all([0, 1, 2].map((i) => isListening(base + i)))).some(Boolean)) return base;
  }
}

/** The CLI with no storage setting at all, as on a fresh checkout. */
function autotier(args: string[], env: NodeJS.ProcessEnv) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('AzureWebJobsStorage')),
  );
  return spawnSync(BIN, args, { encoding: 'utf8', env: { ...clean, AzureWebJobsStorage: '', ...env } });
}

describe('npx autotier (bin/autotier.js)', () => {
  it('is the package bin, kept outside dist/ with its exec bit, so no build can take it away', () => {
    const pkg = JSON.parse(readFileSync(path.join(APP_ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    assert.equal(pkg.bin.autotier, 'bin/autotier.js');
    assert.ok(statSync(BIN).mode & 0o111, 'executable');
    const git = spawnSync('git', ['ls-files', '-s', 'bin/autotier.js'], { cwd: APP_ROOT, encoding: 'utf8' });
    if (git.status === 0 && git.stdout) assert.match(git.stdout, /^100755 /, 'executable in git too');
  });

  it('runs the compiled CLI', () => {
    const r = autotier(['actions'], {});
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^autotier: --client is required/);
  });

  it('says to build first when there is nothing compiled, in one line', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'autotier-unbuilt-'));
    mkdirSync(path.join(root, 'bin'));
    copyFileSync(BIN, path.join(root, 'bin', 'autotier.js'));
    const r = spawnSync(process.execPath, [path.join(root, 'bin', 'autotier.js'), 'actions'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'autotier: not built yet — run `npm run build` first\n');
  });
});

describe('kb, actions and intake replay without a storage setting', () => {
  const cases: [string, string[], (base: number) => number[]][] = [
    ['actions', ['actions', '--client', 'demo'], (b) => [b + 2]],
    ['intake replay', ['intake', 'replay'], (b) => [b + 1]],
    [
      'kb export',
      ['kb', 'export', '--dir', mkdtempSync(path.join(tmpdir(), 'autotier-kb-'))],
      (b) => [b, b + 2],
    ],
  ];
  for (const [name, args, ports] of cases)
    it(`${name} uses npm start's Azurite (AUTOTIER_AZURITE_PORT_BASE) and, when it is not running, says so in one line`, async () => {
      const base = await closedBase();
      const r = autotier(args, { AUTOTIER_AZURITE_PORT_BASE: String(base) });
      assert.equal(r.status, 1);
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      const where = ports(base)
        .map((p) => `127\\.0\\.0\\.1:${p}`)
        .join('|');
      assert.match(
        lines[0] ?? '',
        new RegExp(
          `^autotier: cannot reach storage at (${where}) — run \`npm start\` first or set AzureWebJobsStorage$`,
        ),
      );
    });

  it('a storage setting that is made is used as it is, and named when it does not answer', async () => {
    const base = await closedBase();
    const r = autotier(['actions', '--client', 'demo'], {
      AzureWebJobsStorage: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:${base}/devstoreaccount1;`,
      AUTOTIER_AZURITE_PORT_BASE: '',
    });
    assert.equal(r.status, 1);
    assert.equal(
      r.stderr,
      `autotier: cannot reach storage at 127.0.0.1:${base} — run \`npm start\` first or set AzureWebJobsStorage\n`,
    );
  });
});

describe('defaultToLocalStorage', () => {
  const noSettings = mkdtempSync(path.join(tmpdir(), 'autotier-root-'));

  it('is Azurite on 10000-10002 by default, and on AUTOTIER_AZURITE_PORT_BASE when set', () => {
    const plain: NodeJS.ProcessEnv = {};
    defaultToLocalStorage(plain, noSettings);
    assert.match(
      plain.AzureWebJobsStorage ?? '',
      /TableEndpoint=http:\/\/127\.0\.0\.1:10002\/devstoreaccount1;/,
    );
    const based: NodeJS.ProcessEnv = {
      AUTOTIER_AZURITE_PORT_BASE: '15000',
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    };
    defaultToLocalStorage(based, noSettings);
    assert.match(
      based.AzureWebJobsStorage ?? '',
      /QueueEndpoint=http:\/\/127\.0\.0\.1:15001\/devstoreaccount1;/,
    );
  });

  it('leaves a real account, by connection string or by identity, alone', () => {
    const cs =
      'DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=a2V5;EndpointSuffix=core.windows.net';
    const byString: NodeJS.ProcessEnv = { AzureWebJobsStorage: cs };
    defaultToLocalStorage(byString, noSettings);
    assert.equal(byString.AzureWebJobsStorage, cs);
    const byIdentity: NodeJS.ProcessEnv = {
      AzureWebJobsStorage__tableServiceUri: 'https://prod.table.core.windows.net',
    };
    defaultToLocalStorage(byIdentity, noSettings);
    assert.equal(byIdentity.AzureWebJobsStorage, undefined);
  });
});

describe('failureLine', () => {
  it('is the first line of anything else, never a stack', () => {
    const err = new Error('the table said no\n  at somewhere (file.js:1:1)');
    assert.equal(failureLine(err), 'the table said no');
  });
});
