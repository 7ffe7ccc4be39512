/**
 * Keeps dynalite's LevelDB out of reads it need not make: a write-through cache of the records
 * written (the near-duplicate step reads its 21 buckets back right after writing them) and a
 * Bloom filter of every key in the store (the first read of an article's 21 new bucket keys,
 * and the old version dynalite looks up before each put of a new item, are for keys that do not
 * exist); and puts issued together go to LevelDB as one batch (docs/PERFORMANCE.md). Local
 * only: it wraps the LevelDB handle of the embedded dynalite; what dynalite answers is unchanged.
 */
import { KeyFilter } from './key-filter.ts';

type Callback = (error: Error | null, value?: unknown) => void;

/**
 * dynalite's LevelDB handle (`store.db` of dynalite 4.0.0): callback-style when given a
 * callback, promise-style otherwise; values are JSON-encoded by LevelDB.
 */
export interface DynaliteLevel {
  get(key: string, cb?: Callback): unknown;
  put(key: string, value: unknown, cb?: Callback): unknown;
  del(key: string, cb?: Callback): unknown;
  batch(
    ops: readonly {
      readonly type: string;
      readonly key: string;
      readonly value?: unknown;
      /** abstract-level's per-operation encoding: 'utf8' stores a string as it is. */
      readonly valueEncoding?: string;
    }[],
    cb?: Callback,
  ): unknown;
  /** Every key, in order (abstract-level's key iterator). */
  keys(): AsyncIterable<string>;
}

/** Cap on the JSON kept in memory (characters); the oldest records go first. */
export const RECORD_CACHE_CHARS = 32 * 1024 * 1024;

/**
 * Keys the filter is sized for (10 MB of bits; a 50,000-article store has ≈ 2.3 million). Past
 * that it is dropped and every read goes to LevelDB, as without it.
 */
export const KEY_FILTER_CAPACITY = 8_000_000;

/**
 * Wrap `db` so every record written through it is remembered (as its JSON, so no reader can
 * change the cached copy) and served to later reads without LevelDB. Reads that miss are not
 * cached: without a per-key write log a slow read could put an older value over a newer write.
 * dynalite writes an item under that item's lock and waits for LevelDB, so writes of one key
 * never overtake each other and the cache always holds the last one; a failed write is
 * forgotten, deletes and batches (table deletion, tags) drop their keys first.
 */
export function cacheRecords(
  db: DynaliteLevel,
  maxChars: number = RECORD_CACHE_CHARS,
  filterCapacity: number = KEY_FILTER_CAPACITY,
): void {
  const cache = new Map<string, string>();
  // Every key written from now on is added; the keys already stored are added by a scan, and
  // until it has finished (or after the filter overflows) `known` is null and reads go through.
  let filling: KeyFilter | null = new KeyFilter(filterCapacity);
  let known: KeyFilter | null = null;
  const added = (key: string): void => {
    filling?.add(key);
    if (filling && filling.count > filling.capacity) {
      filling = null;
      known = null;
    }
  };
  void (async () => {
    const filter = filling;
    if (!filter) return;
    for await (const key of db.keys()) filter.add(key);
    if (filling === filter && filter.count <= filter.capacity) known = filter;
  })().catch(() => {
    // A failed scan only leaves the filter off.
    filling = null;
  });
  let chars = 0;
  const forget = (key: string): void => {
    const old = cache.get(key);
    if (old === undefined) return;
    chars -= old.length;
    cache.delete(key);
  };
  const remember = (key: string, json: string): void => {
    forget(key);
    cache.set(key, json);
    chars += json.length;
    for (const [oldest, value] of cache) {
      if (chars <= maxChars) break;
      chars -= value.length;
      cache.delete(oldest);
    }
  };

  // Puts issued in one turn of the event loop (the items of a BatchWriteItem arrive together)
  // go to LevelDB as one batch: one native call instead of one each. Each put's callback still
  // waits for its own write. A delete or an outside batch sends the queued puts first.
  // Each value is written as the JSON the cache already made ('utf8' stores those bytes, which
  // are what the database's 'json' encoding would have stored), so it is serialized once.
  let queued: { readonly key: string; readonly json: string; readonly done: Callback }[] = [];
  const flush = (): void => {
    if (queued.length === 0) return;
    const writes = queued;
    queued = [];
    batch(
      writes.map((w) => ({ type: 'put', key: w.key, value: w.json, valueEncoding: 'utf8' })),
      (error) => {
        for (const w of writes) w.done(error);
      },
    );
  };

  const get = db.get.bind(db);
  const put = db.put.bind(db);
  const del = db.del.bind(db);
  const batch = db.batch.bind(db);
  db.get = (key, cb) => {
    if (!cb) {
      flush();
      return get(key);
    }
    // dynalite answers reads asynchronously (a missing key as no value); keep that order of events.
    if (known && !known.mayHave(key)) return void setImmediate(cb, null, undefined);
    const json = cache.get(key);
    if (json !== undefined) return void setImmediate(cb, null, JSON.parse(json));
    return get(key, cb);
  };
  db.put = (key, value, cb) => {
    added(key);
    if (!cb) {
      // Queued puts go first, so this later write cannot be overtaken by an earlier one.
      flush();
      forget(key);
      return put(key, value);
    }
    const json = JSON.stringify(value);
    remember(key, json);
    queued.push({
      key,
      json,
      done: (error) => {
        if (error && cache.get(key) === json) forget(key);
        cb(error);
      },
    });
    if (queued.length === 1) setImmediate(flush);
  };
  db.del = (key, cb) => {
    flush();
    forget(key);
    return del(key, cb);
  };
  db.batch = (ops, cb) => {
    flush();
    for (const op of ops) {
      forget(op.key);
      if (op.type === 'put') added(op.key);
    }
    return batch(ops, cb);
  };
}
