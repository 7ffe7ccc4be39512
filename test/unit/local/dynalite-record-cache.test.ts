import { MemoryLevel } from 'memory-level';
import { describe, expect, it } from 'vitest';
import { cacheRecords, type DynaliteLevel } from '#local/dynalite-record-cache.ts';

type Callback = (error: Error | null, value?: unknown) => void;

/**
 * A real in-memory LevelDB with dynalite's callback-or-promise handle, so the cache wraps what it
 * wraps in the embedded servers. `failPuts` makes LevelDB reject writes of the keys it names (a
 * fault a memory store cannot produce by itself).
 */
function level(failPuts: ReadonlySet<string> = new Set()) {
  const lv = new MemoryLevel<string, unknown>({ valueEncoding: 'json' });
  const settle = (p: Promise<unknown>, cb: Callback | undefined) =>
    cb
      ? void p.then(
          (v) => cb(null, v),
          (e: Error) => cb(e),
        )
      : p;
  const handle: DynaliteLevel = {
    get: (key, cb) => settle(lv.get(key), cb),
    put: (key, value, cb) =>
      settle(failPuts.has(key) ? Promise.reject(new Error('disk full')) : lv.put(key, value), cb),
    del: (key, cb) => settle(lv.del(key), cb),
    batch: (ops, cb) =>
      settle(
        ops.some((op) => failPuts.has(op.key))
          ? Promise.reject(new Error('disk full'))
          : lv.batch(
              ops.map((op) =>
                op.type === 'del'
                  ? { type: 'del' as const, key: op.key }
                  : {
                      type: 'put' as const,
                      key: op.key,
                      value: op.value,
                      // passed on as dynalite's handle does: abstract-level honours it per operation
                      ...(op.valueEncoding ? { valueEncoding: op.valueEncoding } : {}),
                    },
              ),
            ),
        cb,
      ),
    keys: () => lv.keys(),
  };
  return { lv, handle };
}

const call = <T>(f: (cb: Callback) => unknown): Promise<T> =>
  new Promise((resolve, reject) => f((e, v) => (e ? reject(e) : resolve(v as T))));

describe('the record cache in front of the embedded DynamoDB store', () => {
  it('answers every read with the last write, stored in LevelDB too, across puts, deletes and batches', async () => {
    // Prepare
    const { lv, handle } = level();
    await lv.put('old', { v: 0 });
    cacheRecords(handle);
    await new Promise((r) => setTimeout(r, 20)); // the key scan of what was already stored

    // Act: puts issued in one turn (as a BatchWriteItem's items), then a delete and a batch
    const writes = [call((cb) => handle.put('a', { v: 1 }, cb)), call((cb) => handle.put('b', { v: 1 }, cb))];
    const readA = call((cb) => handle.get('a', cb)); // before the queued puts reached LevelDB
    await Promise.all(writes);
    await call((cb) => handle.put('a', { v: 2 }, cb));
    await call((cb) => handle.del('b', cb));
    await call((cb) => handle.batch([{ type: 'put', key: 'c', value: { v: 3 } }], cb));

    // Assess: reads through the cache and LevelDB itself agree
    expect(await readA).toEqual({ v: 1 });
    expect(await call((cb) => handle.get('a', cb))).toEqual({ v: 2 });
    expect(await call((cb) => handle.get('b', cb))).toBeUndefined();
    expect(await call((cb) => handle.get('c', cb))).toEqual({ v: 3 });
    expect(await call((cb) => handle.get('old', cb))).toEqual({ v: 0 });
    expect(await lv.get('a')).toEqual({ v: 2 });
    expect(await lv.get('b')).toBeUndefined();
  });

  it('forgets a write LevelDB refused, so a read does not see a record that was never stored', async () => {
    // Prepare
    const { handle } = level(new Set(['lost']));
    cacheRecords(handle);

    // Act
    const written = call((cb) => handle.put('lost', { v: 1 }, cb));

    // Assess
    await expect(written).rejects.toThrow('disk full');
    expect(await call((cb) => handle.get('lost', cb))).toBeUndefined();
  });

  it('never lets a later promise-style put be overtaken by an earlier queued one', async () => {
    // Prepare
    const { lv, handle } = level();
    cacheRecords(handle);

    // Act
    handle.put('k', { v: 1 }, () => {});
    await handle.put('k', { v: 2 });
    await new Promise((r) => setTimeout(r, 20));

    // Assess
    expect(await lv.get('k')).toEqual({ v: 2 });
  });
});
