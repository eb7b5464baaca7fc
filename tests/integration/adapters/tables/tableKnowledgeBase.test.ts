import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { TableKnowledgeBase } from '../../../../src/adapters/tables/tableKnowledgeBase';
import type { KbArticle } from '../../../../src/domain/kb';
import { freshTable } from '../../../support/storage';

const article = (clientId: string, articleId: string, title = articleId): KbArticle => ({
  articleId,
  clientId,
  category: 'vpn_remote_access',
  title,
  steps: ['Reconnect'],
  tags: [],
  images: [],
  uses: 0,
  successes: 0,
  updatedAt: '2026-03-02T10:00:00.000Z',
});

describe('TableKnowledgeBase on Azurite', () => {
  it("reads a client's articles a partition at a time, once for as long as they may be kept", async () => {
    const table = await freshTable('kb');
    const filters: string[] = [];
    table.pipeline.addPolicy({
      name: 'countQueries',
      sendRequest: (request, next) => {
        if (request.method === 'GET')
          filters.push(new URL(request.url).searchParams.get('$filter') ?? '(no filter)');
        return next(request);
      },
    });
    let now = 0;
    const kb = new TableKnowledgeBase(table, { maxAgeMs: 5000, now: () => now });
    const elsewhere = new TableKnowledgeBase(table); // the CLI, or another instance
    await elsewhere.put(article('*', 'general'));
    await elsewhere.put(article('acme', 'own'));
    await elsewhere.put(article('globex', 'theirs'));
    await kb.recordOutcome('acme', 'own', true, 'T-1.playbook-1');
    filters.length = 0;

    const ids = async () => (await kb.forClient('acme')).map((a) => a.articleId);
    assert.deepEqual(
      await ids(),
      ['general', 'own'],
      'the general articles and the client’s own, in table order',
    );
    assert.deepEqual(
      filters.sort(),
      ["PartitionKey eq '_all'", "PartitionKey eq 'acme'"],
      'no query spans partitions',
    );
    await Promise.all([ids(), ids(), ids()]);
    now = 4999;
    const copy = await kb.forClient('acme');
    copy.pop(); // a caller changing its copy changes no one else's
    assert.equal(filters.length, 2, 'kept for 5 s');

    await elsewhere.put(article('acme', 'own', 'New title'));
    now = 5000;
    assert.equal((await kb.forClient('acme')).find((a) => a.articleId === 'own')?.title, 'New title');
    await kb.put(article('acme', 'another'));
    assert.deepEqual(await ids(), ['general', 'another', 'own'], 'its own write at once');
  });
});
