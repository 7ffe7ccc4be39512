/**
 * A Bloom filter of the keys in dynalite's LevelDB, so a read of a key that was never written
 * (the near-duplicate step's first read of 42 new bucket keys, the old version looked up before
 * every put of a new item) is answered without LevelDB. Local only (local/dynalite-record-cache.ts).
 */
import { fmix32 } from '#shared/domain/dedupe/shingles.ts';

/** Bits per expected key: with 7 hash functions about 1 % false positives. */
const BITS_PER_KEY = 10;
const HASHES = 7;

/** Two independent 32-bit hashes of `key` (FNV-1a with two seeds, murmur3's finaliser). */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < key.length; i += 1) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return [fmix32(a), fmix32(b) | 1];
}

/** A fixed-size Bloom filter over strings; `add` beyond {@link capacity} raises false positives. */
export class KeyFilter {
  private readonly bits: Uint32Array;
  private readonly size: number;
  /** Keys added so far (duplicates included). */
  count = 0;

  constructor(readonly capacity: number) {
    this.size = Math.max(1024, capacity * BITS_PER_KEY);
    this.bits = new Uint32Array(Math.ceil(this.size / 32));
  }

  add(key: string): void {
    const [a, b] = hashes(key);
    for (let i = 0; i < HASHES; i += 1) {
      const bit = (a + Math.imul(i, b)) >>> 0;
      const at = bit % this.size;
      this.bits[at >>> 5]! |= 1 << (at & 31);
    }
    this.count += 1;
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
