export interface RecentReadsOptions {
  /** How long a value read is used before it is read again (0: every call reads). */
  maxAgeMs: number;
  /** Milliseconds on a monotonic clock; a test passes its own. */
  now?: () => number;
}

/**
 * Values read from storage, kept for a short while, as JSON text so no caller can change another
 * caller's copy. Reads of one key that overlap share one request. Nothing found (undefined) is not
 * kept, so a value created elsewhere is seen at once; a value changed elsewhere is seen within
 * `maxAgeMs`; one this process writes is `remember`ed at once.
 */
export class RecentReads {
  private readonly values = new Map<string, { at: number; json: Promise<string | undefined> }>();
  private readonly now: () => number;

  constructor(private readonly options: RecentReadsOptions = { maxAgeMs: 0 }) {
    this.now = options.now ?? (() => performance.now());
  }

  read(key: string, load: () => Promise<string | undefined>): Promise<string | undefined> {
    const known = this.values.get(key);
    if (known && this.now() - known.at < this.options.maxAgeMs) return known.json;
    const json = load();
    if (this.options.maxAgeMs <= 0) return json;
    const entry = { at: this.now(), json };
    this.values.set(key, entry);
    const drop = () => {
      if (this.values.get(key) === entry) this.values.delete(key);
    };
    void json.then((value) => value === undefined && drop(), drop);
    return json;
  }

  remember(key: string, json: string): void {
    if (this.options.maxAgeMs > 0) this.values.set(key, { at: this.now(), json: Promise.resolve(json) });
  }

  forget(key: string): void {
    this.values.delete(key);
  }
}
