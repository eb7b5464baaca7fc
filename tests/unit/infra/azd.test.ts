import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { APP_ROOT } from '../../support/paths';

const script = path.join(APP_ROOT, 'scripts', 'azd-client-params.mjs');
const run = (root: string, envName?: string) =>
  spawnSync(process.execPath, [script, '--root', root], {
    env: { ...process.env, AZURE_ENV_NAME: envName ?? '' },
    encoding: 'utf8',
  });

describe('azd', () => {
  it('builds the package its own way: no hook prunes the tools azd builds with', () => {
    const yaml = readFileSync(path.join(APP_ROOT, 'azure.yaml'), 'utf8');
    assert.doesNotMatch(yaml, /prepackage|prune|npm ci/);
    assert.match(yaml, /language: ts\s+host: function/);
    assert.match(yaml, /preprovision:[\s\S]*run: node scripts\/azd-client-params\.mjs/);
    const pkg = JSON.parse(readFileSync(path.join(APP_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    assert.ok(pkg.scripts.build, 'azd runs npm run build');
  });

  it('deploys the client named by the azd environment, from infra/clients/<client>.bicepparam', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'azd-'));
    cpSync(path.join(APP_ROOT, 'infra'), path.join(root, 'infra'), { recursive: true });
    const ok = run(root, 'example-dental');
    assert.equal(ok.status, 0, ok.stderr);
    const generated = readFileSync(path.join(root, 'infra', 'main.bicepparam'), 'utf8');
    assert.match(generated, /^using '\.\/main\.bicep'$/m);
    assert.match(generated, /^param clientId = 'example-dental'$/m);
    assert.doesNotMatch(generated, /using '\.\.\/main\.bicep'/);

    const missing = run(root, 'no-such-client');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /No parameters for client "no-such-client".*example-dental/);
    assert.equal(run(root).status, 1);
    assert.ok(existsSync(path.join(root, 'infra', 'main.bicepparam')));
  });
});
