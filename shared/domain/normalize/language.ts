/**
 * Language detection: eld's algorithm (Nito-ELD, Apache-2.0) over its 'extrasmall' n-gram
 * database, packed by scripts/build-language-data.ts. eld's own modules spell the database as
 * object literals that cost 1.6 MB ('small') of Lambda bundle; the packed one costs ~0.5 MB.
 * Scoring follows eld 2.1 (src/languageDetector.js, src/LanguageResult.js) step for step so
 * results match eld on the same database.
 */
import { AVG_SCORES, BYTE_TOKENS, ESCAPE, LANGUAGES, PACKED_NGRAMS } from './language-data.ts';

// eld scores n-grams; a few hundred characters per paragraph are as good as the whole text.
const SAMPLE_CHARS = 3000;
// eld's constants: text read, byte budget per text, score floor removed from the stored scores.
const ELD_TEXT_CHARS = 1000;
const CUT_AFTER_BYTES = 350;
const ENFORCE_CUT_BYTES = 380;
const BASE_NGRAM_SCORE = 53;
const SCORE_SCALE = 25;
const RELIABLE_RATIO = 0.75;

// Runs of non-letters (eld: Unicode L in the BMP), unless the run ends in an apostrophe.
const SEPARATORS = /[^\p{L}]+(?<![\x27\x60\u2019])/gu;

/** Language id → score per n-gram; entries flattened as [id, score, id, score, …]. */
const NGRAMS: ReadonlyMap<string, readonly number[]> = unpack(PACKED_NGRAMS);

function unpack(packed: string): Map<string, number[]> {
  const map = new Map<string, number[]>();
  let pos = 0;
  const next = (): number => {
    let n = 0;
    while (packed[pos] === ESCAPE) {
      n += 92;
      pos++;
    }
    return n + charValue(packed.charCodeAt(pos++));
  };
  while (pos < packed.length) {
    const keyLength = charValue(packed.charCodeAt(pos++));
    const entries = next();
    const key = packed.slice(pos, pos + keyLength);
    pos += keyLength;
    const scores: number[] = [];
    for (let i = 0; i < entries; i++) scores.push(next(), next());
    map.set(key, scores);
  }
  return map;
}

/** Position of a char in the packing alphabet: 0x20–0x7E without '"' (0x22) and '\\' (0x5C). */
function charValue(code: number): number {
  return code - 32 - (code > 0x22 ? 1 : 0) - (code > 0x5c ? 1 : 0);
}

/** eld's words: lower-cased letters runs as UTF-8 byte tokens, within eld's byte budget. */
function words(text: string): string[][] {
  const clean = text.slice(0, ELD_TEXT_CHARS).replace(SEPARATORS, ' ').trim().toLowerCase();
  const out: string[][] = [];
  let word: string[] = [];
  let bytes = 0;
  const push = (b: number): void => {
    word.push(BYTE_TOKENS[b]!);
  };
  for (let i = 0; i < clean.length; i++) {
    let code = clean.charCodeAt(i);
    if (code < 0x80) {
      if (code === 32) {
        if (word.length > 0) out.push(word);
        word = [];
        if (bytes > CUT_AFTER_BYTES) break;
      } else push(code);
      bytes++;
    } else if (code < 0x800) {
      push(0xc0 | (code >> 6));
      push(0x80 | (code & 0x3f));
      bytes += 2;
    } else if (code < 0xd800 || code >= 0xe000) {
      push(0xe0 | (code >> 12));
      push(0x80 | ((code >> 6) & 0x3f));
      push(0x80 | (code & 0x3f));
      bytes += 3;
    } else {
      i++;
      code = 0x10000 + (((code & 0x3ff) << 10) | (clean.charCodeAt(i) & 0x3ff));
      push(0xf0 | (code >> 18));
      push(0x80 | ((code >> 12) & 0x3f));
      push(0x80 | ((code >> 6) & 0x3f));
      push(0x80 | (code & 0x3f));
      bytes += 4;
    }
    if (bytes > ENFORCE_CUT_BYTES) break;
  }
  if (word.length > 0) out.push(word);
  return out;
}

/** eld's n-grams: 4 bytes, stride 3, word start and end marked with a space. */
function ngrams(text: string): Set<string> {
  const set = new Set<string>();
  for (const word of words(text)) {
    const len = Math.min(word.length, 70);
    let j = 0;
    for (; j + 4 < len; j += 3) set.add((j === 0 ? ' ' : '') + word.slice(j, j + 4).join(''));
    set.add(`${j === 0 ? ' ' : ''}${word.slice(len !== 3 ? Math.max(len - 4, 0) : 0).join('')} `);
  }
  return set;
}

interface Detection {
  readonly language: string;
  readonly reliable: boolean;
}

function detect(text: string): Detection | null {
  const grams = ngrams(text);
  const scores = new Array<number>(LANGUAGES.length).fill(0);
  for (const gram of grams) {
    const entries = NGRAMS.get(gram);
    if (entries === undefined) continue;
    for (let i = 0; i < entries.length; i += 2) scores[entries[i]!]! += entries[i + 1]! + BASE_NGRAM_SCORE;
  }
  let best = -1;
  for (let id = 0; id < scores.length; id++)
    if (scores[id]! > 0 && (best < 0 || scores[id]! > scores[best]!)) best = id;
  if (best < 0) return null;
  const count = grams.size;
  const scaled = scores
    .map((score, id) => [id, score / count / (score / count + SCORE_SCALE)] as const)
    .filter(([id]) => scores[id]! > 0)
    .sort((a, b) => b[1] - a[1]);
  // As eld 2.1 does: the runner-up term compares the top score with the runner-up's *id*, so in
  // practice only the average-score test decides.
  const nextScore = scaled.length > 1 ? scaled[1]![0] : 0;
  const top = scaled[0]![1];
  const reliable =
    count >= 3 && !(AVG_SCORES[best]! * RELIABLE_RATIO > top || 0.01 > Math.abs(top - nextScore));
  return { language: LANGUAGES[best]!, reliable };
}

const letters = (text: string): number => text.replace(/[\s\p{P}\p{N}]/gu, '').length;
const sample = (text: string): string => (text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text);

/** ISO 639-1 code of `text`, or null when the text is too short or the detector cannot tell. */
export function detectLanguage(text: string): string | null {
  const head = sample(text);
  if (letters(head) < 12) return null;
  return detect(head)?.language ?? null;
}

/** Language of a short block when the detector is confident enough to act on it, else null. */
export function confidentLanguage(text: string): string | null {
  if (letters(text) < 20) return null;
  const result = detect(sample(text));
  return result?.reliable === true ? result.language : null;
}
