import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compileRoute } from '../../../src/local/routes';

describe('compileRoute', () => {
  it('matches literal segments case-insensitively and extracts parameters', () => {
    const r = compileRoute('api/tickets/{ticketId}');
    assert.deepEqual(r.matches('/api/Tickets/T-1001'), { ticketId: 'T-1001' });
    assert.equal(r.matches('/api/tickets'), undefined);
    assert.equal(r.matches('/api/tickets/T-1/confirm'), undefined);
  });

  it('supports optional, int-constrained and catch-all parameters', () => {
    assert.deepEqual(compileRoute('api/items/{id?}').matches('/api/items'), {});
    assert.deepEqual(compileRoute('api/items/{id:int}').matches('/api/items/42'), { id: '42' });
    assert.equal(compileRoute('api/items/{id:int}').matches('/api/items/x'), undefined);
    assert.deepEqual(compileRoute('api/files/{*path}').matches('/api/files/a/b.txt'), { path: 'a/b.txt' });
  });

  it('decodes parameters', () => {
    assert.deepEqual(compileRoute('api/x/{name}').matches('/api/x/a%20b'), { name: 'a b' });
  });
});
