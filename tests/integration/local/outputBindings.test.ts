import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';

import { loadApp } from '../../../src/local/loadApp';
import { APP_ROOT } from '../../support/runtime';

describe('the local runtime refuses what it cannot run', () => {
  it('refuses an activity with an output binding when the app registers it, naming it', () => {
    assert.throws(
      () => loadApp(path.join(APP_ROOT, 'tests', 'fixtures', 'output-binding-app'), () => {}),
      /function "writeToQueue": output bindings \(queue\) are not supported by the local runtime/,
    );
  });
});
