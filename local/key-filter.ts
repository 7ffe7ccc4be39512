/**
 * A Bloom filter of the keys in dynalite's LevelDB, so a read of a key that was never written
 * (the near-duplicate step's first read of 21 new bucket keys, the old version looked up before
 * every put of a new item) is answered without LevelDB. Local only (local/dynalite-record-cache.ts).
 */
import { hashPair } from '#shared/domain/dedupe/shingles.ts';

/** Bits per expected key: with 7 hash functions about 1 % false positives. */
const BITS_PER_KEY = 10;
const HASHES = 7;

/** The two probe hashes of `key`; the step is odd, so the probes never repeat one bit. */
function hashes(key: string): [number, number] {
  const [a, b] = hashPair(key);
  return [a, b | 1];
}

/** A fixed-size Bloom filter over strings; `add` beyond {@link capacity} raises false positives. */
export class KeyFilter {
  private readonly bits: Uint32Array;
  private readonly size: number;
  /**
   * Distinct keys added so far, as far as the filter can tell: an add that sets no new bit (a
   * re-put of a stored key, or a rare collision) is not counted, so rewrites never fill it.
   */
  count = 0;

  constructor(readonly capacity: number) {
    this.size = Math.max(1024, capacity * BITS_PER_KEY);
    this.bits = new Uint32Array(Math.ceil(this.size / 32));
  }

  /** Add `key`. */
  add(key: string): void {
    const [a, b] = hashes(key);
    let fresh = false;
    for (let i = 0; i < HASHES; i += 1) {
      const at = ((a + Math.imul(i, b)) >>> 0) % this.size;
      const word = this.bits[at >>> 5]!;
      const mask = 1 << (at & 31);
      if ((word & mask) === 0) {
        fresh = true;
        this.bits[at >>> 5] = word | mask;
      }
    }
    if (fresh) this.count += 1;
  }

  /** False only when `key` was certainly never added. */
  mayHave(key: string): boolean {
    const [a, b] = hashes(key);
    for (let i = 0; i < HASHES; i += 1) {
      const at = ((a + Math.imul(i, b)) >>> 0) % this.size;
      if ((this.bits[at >>> 5]! & (1 << (at & 31))) === 0) return false;
    }
    return true;
  }
}
