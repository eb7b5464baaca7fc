import type { TableClient } from '@azure/data-tables';

import { ALL_CLIENTS, type KbArticle } from '../../domain/kb';
import type { KnowledgeBase } from '../../ports/knowledgeBase';
import { RecentReads, type RecentReadsOptions } from './recentReads';
import { isRestError, odataString, tryGetEntity } from './tableNames';

const pk = (clientId: string) => (clientId === ALL_CLIENTS ? '_all' : clientId);
const MAX_RETRIES = 20;

/**
 * Articles by client (PK = client id, `_all` for general articles; RK = article id). With
 * `maxAgeMs`, a client's articles are read once for that long (every guide the playbooks send
 * reads them): an article changed elsewhere is seen within that long, one put here at once.
 */
export class TableKnowledgeBase implements KnowledgeBase {
  private readonly recent: RecentReads;

  constructor(
    private readonly table: TableClient,
    caching?: RecentReadsOptions,
  ) {
    this.recent = new RecentReads(caching);
  }

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async put(article: KbArticle): Promise<void> {
    this.recent.forget(pk(article.clientId));
    await this.table.upsertEntity(
      { partitionKey: pk(article.clientId), rowKey: article.articleId, article: JSON.stringify(article) },
      'Replace',
    );
  }

  /**
   * One query per partition, at once: Azure serves each from its partition, where a filter that
   * ORs two partitions may scan the whole table (the `_outcome|` markers of every ticket too).
   */
  async forClient(clientId: string): Promise<KbArticle[]> {
    const partitions = [...new Set([pk(clientId), '_all'])].sort(); // in table order, as one query gave them
    const lists = await Promise.all(
      partitions.map(async (partition) => {
        const json = await this.recent.read(partition, async () =>
          JSON.stringify(await this.query(`PartitionKey eq ${odataString(partition)}`)),
        );
        return JSON.parse(json ?? '[]') as KbArticle[];
      }),
    );
    return lists.flat();
  }

  async all(): Promise<KbArticle[]> {
    return this.query(`RowKey ne ''`);
  }

  async recordOutcome(clientId: string, articleId: string, fixed: boolean, key: string): Promise<void> {
    try {
      await this.table.createEntity({
        partitionKey: `_outcome|${pk(clientId)}`,
        rowKey: `${articleId}|${key}`,
      });
    } catch (err) {
      if (isRestError(err, 409)) return; // this outcome was already counted
      throw err;
    }
    // Counting is at most once per key: the marker above is written first.
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const found = (await this.find(pk(clientId), articleId)) ?? (await this.find('_all', articleId));
      if (!found) return;
      const a = JSON.parse(found.row.article) as KbArticle;
      const next = { ...a, uses: a.uses + 1, successes: a.successes + (fixed ? 1 : 0) };
      try {
        await this.table.updateEntity(
          { partitionKey: found.partition, rowKey: articleId, article: JSON.stringify(next) },
          'Replace',
          { etag: found.row.etag },
        );
        return;
      } catch (err) {
        if (!isRestError(err, 412)) throw err;
      }
    }
  }

  private async find(partition: string, articleId: string) {
    const row = await tryGetEntity<{ article: string }>(this.table, partition, articleId);
    return row && { partition, row };
  }

  private async query(filter: string): Promise<KbArticle[]> {
    const out: KbArticle[] = [];
    for await (const row of this.table.listEntities<{ article: string }>({ queryOptions: { filter } })) {
      if (row.partitionKey?.startsWith('_outcome|')) continue;
      out.push(JSON.parse(row.article) as KbArticle);
    }
    return out;
  }
}
