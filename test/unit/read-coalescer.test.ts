import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ReadCoalescer } from '#shared/adapters/aws/dynamo-near-buckets.ts';

type Item = Record<string, AttributeValue>;

/** A store of the keys in `stored`, recording the key lists it was asked for. */
function store(stored: readonly string[], failOn?: string) {
  const calls: string[][] = [];
  const send = async (keys: readonly string[]): Promise<ReadonlyMap<string, Item>> => {
    calls.push([...keys]);
    if (failOn && keys.includes(failOn)) throw new Error(`read of ${failOn} failed`);
    return new Map(keys.filter((k) => stored.includes(k)).map((k) => [k, { pk: { S: k } }]));
  };
  return { calls, send };
}

const keysOf = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('bucket reads asked for together', () => {
  it('go out as one call when they fit, and each caller gets only its own keys', async () => {
    // Prepare
    const { calls, send } = store(['a0', 'b1', 'c2']);
    const reads = new ReadCoalescer(send);

    // Act: three articles' lookups in the same turn
    const [a, b, c] = await Promise.all([
      reads.read(keysOf('a', 21)),
      reads.read(keysOf('b', 21)),
      reads.read(keysOf('c', 21)),
    ]);

    // Assess
    expect(calls).toHaveLength(1);
    expect([...a.keys()]).toEqual(['a0']);
    expect([...b.keys()]).toEqual(['b1']);
    expect([...c.keys()]).toEqual(['c2']);
  });

  it('never put more than 100 keys in a call, nor split one caller across two', async () => {
    // Prepare
    const { calls, send } = store([]);
    const reads = new ReadCoalescer(send);

    // Act: five 21-key lookups (105 keys) and one of 150 keys
    await Promise.all(
      [...'abcde'].map((p) => reads.read(keysOf(p, 21))).concat(reads.read(keysOf('z', 150))),
    );

    // Assess
    expect(calls.every((c) => c.length <= 100)).toBe(true);
    expect(calls.flat().sort()).toEqual(
      [...'abcde']
        .flatMap((p) => keysOf(p, 21))
        .concat(keysOf('z', 150))
        .sort(),
    );
    for (const p of 'abcde') expect(calls.filter((c) => c.includes(`${p}0`)).flat()).toContain(`${p}20`);
  });

  it('fails only the callers whose call failed', async () => {
    // Prepare: the 150-key lookup goes alone; its second call fails
    const { send } = store(['a3'], 'z120');
    const reads = new ReadCoalescer(send);

    // Act
    const [a, z] = await Promise.allSettled([reads.read(keysOf('a', 21)), reads.read(keysOf('z', 150))]);

    // Assess
    expect(a.status === 'fulfilled' && [...a.value.keys()]).toEqual(['a3']);
    expect(z.status === 'rejected' && String(z.reason)).toContain('read of z120 failed');
  });

  it('reads a key asked for by two callers once, and answers both', async () => {
    // Prepare
    const { calls, send } = store(['shared']);
    const reads = new ReadCoalescer(send);

    // Act
    const [x, y] = await Promise.all([reads.read(['shared', 'x']), reads.read(['shared', 'y'])]);

    // Assess
    expect(calls).toEqual([['shared', 'x', 'y']]);
    expect(x.has('shared') && y.has('shared')).toBe(true);
  });
});
