/**
 * The section vocabulary: a versioned data file (`sections.v1.json`) of coarse sections, each
 * mapped to IPTC Media Topic QCodes, with labels and synonyms in several languages. This module
 * indexes it once so outlet labels and URL path segments resolve to canonical ids in O(1).
 */
import * as z from 'zod';
import vocabularyData from './sections.v1.json' with { type: 'json' };

const LanguageMap = z.record(z.string(), z.array(z.string()));

export const SectionDefSchema = z.object({
  id: z.string().regex(/^[a-z]+$/),
  /** IPTC QCodes (`medtop:…`, or `genre:…` for opinion); empty when IPTC has no equivalent. */
  iptc: z.array(z.string().regex(/^(medtop|genre):\w+$/)),
  iptcLabels: z.array(z.string()).optional(),
  iptcNote: z.string().optional(),
  /** Display label per language. */
  labels: z.record(z.string(), z.string()),
  /** Outlet section names per language, already in {@link normalizeLabel} form. */
  synonyms: LanguageMap,
  /** Extra URL path segments (lower case) beyond the slugified synonyms. */
  urlSlugs: z.array(z.string()),
});
export type SectionDef = z.infer<typeof SectionDefSchema>;

export const VocabularySchema = z.object({
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  description: z.string().optional(),
  /** Labels that name no section ("News", "Allgemein", "Uncategorized"): skipped, not guessed. */
  generic: z.array(z.string()),
  sections: z.array(SectionDefSchema).min(1),
});
export type Vocabulary = z.infer<typeof VocabularySchema>;

/** A vocabulary indexed for lookup. */
export interface IndexedVocabulary {
  readonly version: string;
  readonly sections: readonly SectionDef[];
  /** Normalized label → section id. */
  readonly labels: ReadonlyMap<string, string>;
  /** Lower-case URL segment → section id. */
  readonly slugs: ReadonlyMap<string, string>;
  readonly generic: ReadonlySet<string>;
  /** Longest synonym in tokens, bounding the phrase search inside longer labels. */
  readonly maxPhraseTokens: number;
}

// Connectors vary by language ("Essen & Trinken", "Science and Technology", "Police-Justice")
// and never decide a section, so they are dropped before matching.
const CONNECTORS = new Set([
  'and',
  'und',
  'et',
  'y',
  'e',
  'of',
  'the',
  'la',
  'le',
  'les',
  'el',
  'der',
  'die',
  'das',
]);

/**
 * Canonical form of a section label for matching: NFKD without accents, lower case, ß kept,
 * punctuation to single spaces, connector words dropped ("Économie & Finances" → "economie finances").
 */
export function normalizeLabel(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((t) => t.length > 0 && !CONNECTORS.has(t))
    .join(' ');
}

/** Index a vocabulary; throws when one label or slug names two sections (an ambiguous data file). */
export function indexVocabulary(raw: unknown): IndexedVocabulary {
  const vocabulary = VocabularySchema.parse(raw);
  const labels = new Map<string, string>();
  const slugs = new Map<string, string>();
  const claim = (map: Map<string, string>, key: string, id: string, what: string): void => {
    const owner = map.get(key);
    if (owner !== undefined && owner !== id) {
      throw new Error(`Vocabulary ${vocabulary.version}: ${what} "${key}" maps to both ${owner} and ${id}`);
    }
    map.set(key, id);
  };
  let maxPhraseTokens = 1;
  for (const section of vocabulary.sections) {
    const names = [section.id, ...Object.values(section.labels), ...Object.values(section.synonyms).flat()];
    for (const name of names) {
      const key = normalizeLabel(name);
      if (key === '') continue;
      claim(labels, key, section.id, 'label');
      claim(slugs, key.replaceAll(' ', '-'), section.id, 'slug');
      maxPhraseTokens = Math.max(maxPhraseTokens, key.split(' ').length);
    }
    for (const slug of section.urlSlugs) claim(slugs, slug.toLowerCase(), section.id, 'slug');
  }
  return {
    version: vocabulary.version,
    sections: vocabulary.sections,
    labels,
    slugs,
    generic: new Set(vocabulary.generic.map(normalizeLabel)),
    maxPhraseTokens,
  };
}

/** The bundled vocabulary (sections.v1.json), indexed once per process. */
export const DEFAULT_VOCABULARY: IndexedVocabulary = indexVocabulary(vocabularyData);

/** How a label matched: the whole label, or a phrase inside a longer one ("Global Economy"). */
export interface LabelMatch {
  readonly id: string;
  /** The synonym that matched, normalized. */
  readonly phrase: string;
  readonly exact: boolean;
}

// Breadcrumb-like labels ("News > Business", "Sport/Football") carry several names in one string.
const LABEL_PARTS = /\s*(?:[/>|»›·:]|\s[-–—]\s)\s*/u;

// Lists joined into one string ("Wirtschaft, Tipps") name the primary section first.
const LABEL_LIST = /\s*[,;]\s*/u;
// A synonym inside a longer label counts only in short labels: long ones are headlines.
const MAX_PHRASE_LABEL_TOKENS = 4;

/**
 * Resolve one outlet label to a section. Tries the whole label, then each part of a compound
 * label (innermost first, the most specific; for comma lists, first first), then the longest
 * synonym phrase inside a short label. Returns null for generic or unknown labels.
 */
export function matchLabel(label: string, vocab: IndexedVocabulary = DEFAULT_VOCABULARY): LabelMatch | null {
  const whole = normalizeLabel(label);
  if (whole === '' || vocab.generic.has(whole)) return null;
  const direct = vocab.labels.get(whole);
  if (direct !== undefined) return { id: direct, phrase: whole, exact: true };
  const parts = [...label.split(LABEL_LIST), ...label.split(LABEL_PARTS).reverse()]
    .map(normalizeLabel)
    .filter((p) => p !== '' && p !== whole);
  for (const part of parts) {
    const id = vocab.labels.get(part);
    if (id !== undefined && !vocab.generic.has(part)) return { id, phrase: part, exact: true };
  }
  for (const part of [whole, ...parts]) {
    const tokens = part.split(' ');
    if (tokens.length > MAX_PHRASE_LABEL_TOKENS) continue;
    const m = longestPhrase(tokens, vocab);
    if (m !== null) return m;
  }
  return null;
}

// Place words inside a longer label are modifiers ("Boxsport International", "HR-Welt",
// "International Community"), not the section; only a label that is a place names one.
const NOT_IN_PHRASES = new Set(['world', 'national']);

function longestPhrase(tokens: readonly string[], vocab: IndexedVocabulary): LabelMatch | null {
  for (let n = Math.min(vocab.maxPhraseTokens, tokens.length); n >= 1; n--) {
    for (let start = 0; start + n <= tokens.length; start++) {
      const phrase = tokens.slice(start, start + n).join(' ');
      const id = vocab.labels.get(phrase);
      if (id !== undefined && !vocab.generic.has(phrase) && !NOT_IN_PHRASES.has(id)) {
        return { id, phrase, exact: false };
      }
    }
  }
  return null;
}

/** A section found in a URL path. */
export interface UrlMatch {
  readonly id: string;
  /** The path segment (or host label) that matched. */
  readonly segment: string;
}

/**
 * Resolve a URL's section from its path directories and its first host label (`sport.orf.at`).
 * The last path segment is the article slug, so it only counts when it is a bare section word
 * (`/sport`); inside slugs, words like "election" say nothing about the outlet's section.
 */
export function matchUrl(url: string, vocab: IndexedVocabulary = DEFAULT_VOCABULARY): UrlMatch | null {
  let parsed: URL;
  try {
    parsed = new URL(unwrapArchive(url));
  } catch {
    return null;
  }
  const segments = parsed.pathname
    .split('/')
    .map((s) => safeDecode(s).toLowerCase())
    .filter((s) => s !== '');
  const directories = parsed.pathname.endsWith('/') ? segments : segments.slice(0, -1);
  const last = parsed.pathname.endsWith('/') ? undefined : segments.at(-1);
  const candidates = [...directories];
  if (last !== undefined && /^[\p{L}-]+$/u.test(last) && last.split('-').length <= 2) candidates.push(last);
  // The deepest directory is the most specific section (`/politik/ausland/` is world news).
  for (const segment of candidates.reverse()) {
    const bare = segment.replace(/\.(html?|php|aspx?)$/u, '');
    if (vocab.generic.has(normalizeLabel(bare))) continue;
    const id = vocab.slugs.get(bare) ?? vocab.slugs.get(normalizeLabel(bare).replaceAll(' ', '-'));
    if (id !== undefined) return { id, segment };
  }
  // Subdomains name a section only for subjects (`sport.orf.at`); `world.kbs.co.kr` or
  // `france.attac.org` name an edition or an organisation.
  const hostLabel = parsed.hostname.split('.')[0];
  if (hostLabel !== undefined && parsed.hostname.split('.').length > 2 && !HOST_PREFIXES.has(hostLabel)) {
    const id = vocab.slugs.get(hostLabel);
    if (id !== undefined && !GEOGRAPHIC.has(id)) return { id, segment: parsed.hostname };
  }
  return null;
}

const GEOGRAPHIC = new Set(['world', 'national']);

// Host labels that say nothing about a section even when they spell a slug ("web.archive.org").
const HOST_PREFIXES = new Set([
  'www',
  'web',
  'm',
  'amp',
  'mobile',
  'news',
  'blog',
  'blogs',
  'edition',
  'en',
  'de',
  'fr',
  'es',
]);

/** `https://web.archive.org/web/2016…/http://example.com/a` → the archived URL. */
function unwrapArchive(url: string): string {
  const m = /^https?:\/\/web\.archive\.org\/web\/[^/]+\/(.+)$/u.exec(url);
  if (m === null) return url;
  return /^https?:\/\//u.test(m[1]!) ? m[1]! : `http://${m[1]}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
