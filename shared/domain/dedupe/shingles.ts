/**
 * Shingling for near-duplicate detection. Space-separated scripts are cut into word n-grams;
 * scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar) into
 * character n-grams, since a "word" there would be a whole clause. Shingles are hashed at once:
 * MinHash only needs their hashes, and two 32-bit hashes per shingle keep false collisions far
 * below the estimator's own error.
 */

/** How a text was shingled. */
export type ShingleMode = 'word' | 'char';

/** Shingle sizes: 3 words; 4 characters (about two words in Chinese or Japanese). */
export const SHINGLE_SIZES: Readonly<Record<ShingleMode, number>> = { word: 3, char: 4 };

/** The distinct shingles of a text, hashed: `h1[i]`/`h2[i]` are two independent hashes of shingle i. */
export interface Shingles {
  readonly mode: ShingleMode;
  /** Number of distinct shingles (the set size MinHash estimates Jaccard over). */
  readonly count: number;
  readonly h1: Uint32Array;
  readonly h2: Uint32Array;
}

// Scripts that do not put spaces between words.
const UNSPACED_SCRIPTS =
  '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}';
const UNSPACED = new RegExp(`[${UNSPACED_SCRIPTS}]`, 'u');
// Alternating runs of unspaced-script text (with its combining marks) and anything else.
const UNSPACED_RUN = new RegExp(`[${UNSPACED_SCRIPTS}\\p{M}]+|[^${UNSPACED_SCRIPTS}\\p{M}]+`, 'gu');
// A token is a run of letters, marks and digits; punctuation, quotes and spacing never matter.
const TOKEN = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * Tokens of `text`, case- and compatibility-folded: words, except that each character of an
 * unspaced script is a token of its own. Returns the tokens and whether most are characters.
 */
export function tokenize(text: string): { readonly tokens: string[]; readonly mode: ShingleMode } {
  const folded = text.normalize('NFKC').toLowerCase();
  const tokens: string[] = [];
  let charTokens = 0;
  for (const [word] of folded.matchAll(TOKEN)) {
    if (!UNSPACED.test(word)) {
      tokens.push(word);
      continue;
    }
    for (const [run] of word.matchAll(UNSPACED_RUN)) {
      if (UNSPACED.test(run)) {
        // Combining marks (Thai vowels and tones) stay attached to their base character.
        for (const ch of run.match(/\P{M}\p{M}*/gu) ?? []) {
          tokens.push(ch);
          charTokens += 1;
        }
      } else {
        tokens.push(run);
      }
    }
  }
  return { tokens, mode: charTokens * 2 > tokens.length ? 'char' : 'word' };
}

/** The distinct hashed shingles of `text` (empty when it has fewer tokens than one shingle). */
export function shingle(text: string): Shingles {
  const { tokens, mode } = tokenize(text);
  const size = SHINGLE_SIZES[mode];
  const joiner = mode === 'char' ? '' : ' ';
  const seen = new Set<string>();
  const h1: number[] = [];
  const h2: number[] = [];
  for (let i = 0; i + size <= tokens.length; i += 1) {
    let s = tokens[i] ?? '';
    for (let k = 1; k < size; k += 1) s += joiner + tokens[i + k];
    if (seen.has(s)) continue;
    seen.add(s);
    const [a, b] = hashPair(s);
    h1.push(a);
    h2.push(b);
  }
  return { mode, count: h1.length, h1: Uint32Array.from(h1), h2: Uint32Array.from(h2) };
}

/**
 * Two independent 32-bit hashes of `s` in one pass: FNV-1a over UTF-16 code units with two
 * seeds, each through murmur3's finaliser. They give a shingle its two MinHash inputs (so they
 * are part of every stored bucket key: changing them needs a new LSH scheme tag) and the local
 * key filter its two probe hashes.
 */
export function hashPair(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  return [fmix32(a), fmix32(b)];
}

/** murmur3's 32-bit finaliser: full avalanche, so nearby inputs give unrelated outputs. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
