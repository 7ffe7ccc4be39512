import { describe, expect, it } from 'vitest';
import { BANDS, bandKeys, bandOf } from '#shared/domain/dedupe/lsh.ts';
import {
  decodeSignature,
  encodeSignature,
  estimateContainment,
  estimateJaccard,
  minhash,
  NUM_PERM,
} from '#shared/domain/dedupe/minhash.ts';
import { shingle } from '#shared/domain/dedupe/shingles.ts';
import { fixture, truncate } from './text-helpers.ts';

/** Exact Jaccard of two shingle sets, from their (h1, h2) hash pairs. */
function exactJaccard(a: string, b: string): number {
  const set = (t: string) => {
    const s = shingle(t);
    return new Set([...s.h1].map((h, i) => `${h}:${s.h2[i]}`));
  };
  const sa = set(a);
  const sb = set(b);
  const inter = [...sa].filter((x) => sb.has(x)).length;
  return inter / (sa.size + sb.size - inter);
}

describe('MinHash', () => {
  it('estimates Jaccard within its standard error on a real article and its 60% excerpt', () => {
    // Prepare
    const full = fixture('fr-tdg-chlorothalonil.txt');
    const part = truncate(full, 0.6);

    // Act
    const estimate = estimateJaccard(minhash(shingle(full)), minhash(shingle(part)));

    // Assess: 3 standard errors at 128 permutations
    expect(Math.abs(estimate - exactJaccard(full, part))).toBeLessThan(0.14);
  });

  it('estimates containment of an excerpt in its article near 1', () => {
    // Prepare
    const full = shingle(fixture('de-focus-leasing.txt'));
    const part = shingle(truncate(fixture('de-focus-leasing.txt'), 0.6));

    // Act
    const j = estimateJaccard(minhash(full), minhash(part));
    const c = estimateContainment(j, full.count, part.count);

    // Assess
    expect(j).toBeLessThan(0.8);
    expect(c).toBeGreaterThan(0.9);
  });

  it('round-trips a signature through its stored text form', () => {
    // Prepare
    const sig = minhash(shingle(fixture('zh-xinhuanet-wuhan.txt')));

    // Act
    const back = decodeSignature(encodeSignature(sig));

    // Assess
    expect(back).toHaveLength(NUM_PERM);
    expect([...back]).toEqual([...sig]);
  });
});

describe('LSH bands', () => {
  it('gives identical texts identical bucket keys and unrelated texts none in common', () => {
    // Prepare
    const fr = fixture('fr-tdg-chlorothalonil.txt');
    const de = fixture('de-focus-leasing.txt');

    // Act
    const a = bandKeys(minhash(shingle(fr)));
    const b = bandKeys(minhash(shingle(fr)));
    const c = bandKeys(minhash(shingle(de)));

    // Assess
    expect(a).toHaveLength(BANDS);
    expect(a).toEqual(b);
    expect(a.filter((k) => c.includes(k))).toEqual([]);
    expect(a.map(bandOf)).toEqual([...Array(BANDS).keys()]);
  });
});
