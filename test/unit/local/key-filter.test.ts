import { describe, expect, it } from 'vitest';
import { KeyFilter } from '#local/key-filter.ts';

describe('the key filter of the embedded DynamoDB', () => {
  it('never calls a stored key absent, and calls few absent keys present', () => {
    // Prepare: bucket-like keys, as dynalite stores them
    const filter = new KeyFilter(50_000);
    const stored = Array.from(
      { length: 50_000 },
      (_, i) => `item-newsflow-local-Fingerprints~near#n1#${i % 42}#${i}`,
    );
    for (const key of stored) filter.add(key);

    // Act
    const missed = stored.filter((key) => !filter.mayHave(key)).length;
    const falsePositives = stored.filter((key) => filter.mayHave(`${key}x`)).length;

    // Assess: no stored key is ever answered as absent; about 1 % of absent ones go to LevelDB
    expect(missed).toBe(0);
    expect(falsePositives / stored.length).toBeLessThan(0.03);
  });
});
