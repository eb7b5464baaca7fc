import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';

import { resolveMain } from '../../../src/local/loadApp';
import { APP_ROOT } from '../../support/paths';

describe('resolveMain', () => {
  it('expands the package.json main glob to the compiled entry points, as the host does', () => {
    const files = resolveMain(APP_ROOT, 'dist/src/{index.js,functions/**/*.js}').map((f) =>
      path.relative(APP_ROOT, f),
    );
    assert.ok(files.includes(path.join('dist', 'src', 'index.js')));
    assert.ok(files.includes(path.join('dist', 'src', 'functions', 'http', 'createTicket.js')));
    assert.ok(
      files.includes(path.join('dist', 'src', 'functions', 'orchestrations', 'ticketOrchestrator.js')),
    );
    assert.ok(
      !files.some((f) => f.includes(`${path.sep}local${path.sep}`)),
      'the local runtime is never an entry point',
    );
    assert.ok(!files.some((f) => f.endsWith('.map')));
  });
});
