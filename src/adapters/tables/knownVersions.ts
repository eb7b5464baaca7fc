/**
 * The last version of some rows that this process read or wrote: each row's ETag and content (as
 * JSON text). A write guarded by that ETag needs no read before it: if anyone (another instance, a
 * retried activity) wrote the row since, Azure refuses the write with 412 and the caller forgets
 * the version, reads the row and tries again, exactly as it would have without this. So it saves a
 * read only when the version is still current, and never lets a stale version overwrite a newer one.
 *
 * Bounded by the text it holds; the least recently used rows go first.
 */
export class KnownVersions {
  private readonly rows = new Map<string, { etag: string; json: string }>();
  private chars = 0;

  constructor(private readonly maxChars = 8_000_000) {}

  get(key: string): { etag: string; json: string } | undefined {
    const row = this.rows.get(key);
    if (row) {
      this.rows.delete(key);
      this.rows.set(key, row);
    }
    return row;
  }

  /** Remembers a version; a write whose response carried no ETag forgets the row instead. */
  set(key: string, etag: string | undefined, json: string): void {
    this.forget(key);
    if (!etag || json.length > this.maxChars / 8) return;
    this.rows.set(key, { etag, json });
    this.chars += json.length;
    for (const [oldest, row] of this.rows) {
      if (this.chars <= this.maxChars) break;
      this.rows.delete(oldest);
      this.chars -= row.json.length;
    }
  }

  forget(key: string): void {
    const row = this.rows.get(key);
    if (!row) return;
    this.rows.delete(key);
    this.chars -= row.json.length;
  }
}
