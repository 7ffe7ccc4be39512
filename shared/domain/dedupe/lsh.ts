/**
 * Locality-sensitive hashing over MinHash signatures: the signature is cut into {@link BANDS}
 * bands of {@link ROWS} rows, and each band becomes one bucket key in the Fingerprints table.
 * Two texts share at least one bucket with probability 1 − (1 − J^ROWS)^BANDS: with 21 × 3
 * that is 0.94 at J = 0.5, 0.75 at J = 0.4 and 0.16 at J = 0.2. What counts is the share of the
 * pairs the verifier accepts (estimated Jaccard ≥ 0.5 over all 128 hashes) that the lookup
 * finds, since pairs with more equal hashes also share more bands: 0.975 at J = 0.5, 0.985 at
 * 0.55 and 0.995 at 0.6 (`npx tsx scripts/lsh-recall.ts`). 42 bands found 0.9998 at J = 0.5
 * for twice the items: the bucket items were most of the pipeline's DynamoDB writes and of its
 * local CPU, so they were halved (docs/ARCHITECTURE.md, "Near-duplicates"). Three rows (not
 * two) keep buckets from filling up with unrelated articles as the table grows: the chance that
 * two unrelated news texts (J ≈ 0.01) share a band is 10⁻⁶, against 10⁻⁴ with two rows.
 *
 * Band b hashes signature positions 3b…3b+2 whatever the band count, so the buckets written
 * under 42 bands are the same keys for their first 21 and stay in use; no scheme change.
 */
import { fmix32 } from './shingles.ts';

/** Bands per signature: one bucket read and at most one write each. */
export const BANDS = 21;
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
