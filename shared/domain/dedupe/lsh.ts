/**
 * Locality-sensitive hashing over MinHash signatures: the signature is cut into {@link BANDS}
 * bands of {@link ROWS} rows, and each band becomes one bucket key in the Fingerprints table.
 * Two texts share at least one bucket with probability 1 − (1 − J^ROWS)^BANDS: with 42 × 3
 * that is 0.996 at J = 0.5, 0.94 at J = 0.4 and 0.29 at J = 0.2, so the lookup finds light
 * edits and excerpts while unrelated texts rarely collide. Three rows (not two) keep buckets
 * from filling up with unrelated articles as the table grows: the chance that two unrelated news
 * texts (J ≈ 0.01) share a band is 10⁻⁶, against 10⁻⁴ with two rows.
 */
import { fmix32 } from './shingles.ts';

/** Bands per signature: one bucket read and at most one write each. */
export const BANDS = 42;
/** Signature positions per band. */
export const ROWS = 3;
/** Scheme tag in every key, so changing shingles, hashes or banding never mixes old and new buckets. */
export const LSH_SCHEME = 'n1';

/** The bucket keys of a signature, band order: `near#n1#<band>#<16 hex digits>`. */
export function bandKeys(sig: Uint32Array): string[] {
  const keys: string[] = [];
  for (let band = 0; band < BANDS; band += 1) {
    let a = 0x243f6a88 ^ band;
    let b = 0x85a308d3 ^ band;
    for (let r = 0; r < ROWS; r += 1) {
      const v = sig[band * ROWS + r] ?? 0;
      a = fmix32((a ^ v) + 0x9e3779b9);
      b = fmix32(Math.imul(b ^ v, 0x27d4eb2f) + r);
    }
    keys.push(`near#${LSH_SCHEME}#${band}#${hex8(a)}${hex8(b)}`);
  }
  return keys;
}

/** The band number encoded in a bucket key from {@link bandKeys}. */
export function bandOf(key: string): number {
  return Number(key.split('#')[2]);
}

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
