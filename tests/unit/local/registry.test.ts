import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createCoreApi, FunctionRegistry } from '../../../src/local/registry';

describe('the core API the local runtime gives @azure/functions', () => {
  const trigger = { t: { type: 'httpTrigger', direction: 'in' as const } };
  it('captures registrations and refuses a missing name or a duplicate', () => {
    const registry = new FunctionRegistry();
    const api = createCoreApi(registry, () => {});
    api.registerFunction({ name: 'health', bindings: trigger }, () => undefined);
    assert.equal(registry.get('health')?.triggerName, 't');
    assert.throws(
      () => api.registerFunction({ name: 'health', bindings: trigger }, () => undefined),
      /registered twice/,
    );
    assert.throws(
      () => api.registerFunction({ name: 'undefined', bindings: trigger }, () => undefined),
      /without a name/,
    );
    assert.throws(
      () =>
        api.registerFunction(
          { name: 'x', bindings: { o: { type: 'http', direction: 'out' } } },
          () => undefined,
        ),
      /no trigger binding/,
    );
  });
});
