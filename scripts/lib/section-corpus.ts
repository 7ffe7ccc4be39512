/**
 * The labelled section corpus used by `train-sections.ts` and `eval-sections.ts`: labels live in
 * the repo (`data/sections/labels.jsonl`, `data/sections/own-texts.jsonl`), dev page texts are
 * read at run time from the extraction dev set (never copied into the repo), and the web pages
 * (`data/sections/web-pages.jsonl`) are stored as the classifier's stems, never as text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Element } from 'domhandler';
import { findAll, getAttributeValue, textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';
import * as z from 'zod';
import type { Hints } from '#shared/domain/article.ts';
import { normalizeDocument } from '#shared/domain/normalize/index.ts';
import { DEFAULT_NORMALIZE_SETTINGS } from '#shared/domain/normalize/types.ts';
import { STOPWORDS } from '#shared/domain/tag/content.ts';
import type { TagInput } from '#shared/domain/tag/types.ts';

/** The extraction dev set: `--dev-set DIR`, else the first of the usual checkout layouts that exists. */
export const DEV_SET_DIR: string = (() => {
  const flag = process.argv.indexOf('--dev-set');
  const given = flag >= 0 ? process.argv[flag + 1] : undefined;
  const candidates = [given, '../shared/eval-data/extraction-dev', '../../shared/eval-data/extraction-dev'];
  return (
    candidates.find((c): c is string => c !== undefined && existsSync(c)) ??
    '../shared/eval-data/extraction-dev'
  );
})();
export const DATA_DIR = 'data/sections';

/** The five sections of issue 6's content-only bar (the setting of the BBC-news benchmarks). */
export const FOCUS_SECTIONS: readonly string[] = ['business', 'politics', 'sport', 'technology', 'culture'];

/** One calibration bin: predictions whose top score fell in it, their summed score, and how many were right. */
export interface CalibrationBin {
  n: number;
  confidence: number;
  right: number;
}

/**
 * Predictions binned by their top score (ten bins of 0.1) and the expected calibration error:
 * the bins' gaps between accuracy and mean score, weighted by their share of the predictions.
 */
export function calibrationBins(points: Iterable<{ readonly confidence: number; readonly right: boolean }>): {
  ece: number;
  bins: CalibrationBin[];
} {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, confidence: 0, right: 0 }));
  for (const p of points) {
    const bin = bins[Math.min(9, Math.floor(p.confidence * 10))]!;
    bin.n += 1;
    bin.confidence += p.confidence;
    if (p.right) bin.right += 1;
  }
  const total = bins.reduce((a, b) => a + b.n, 0);
  const ece = total === 0 ? 0 : bins.reduce((e, b) => e + Math.abs(b.right - b.confidence) / total, 0);
  return { ece, bins };
}

export const LabelSchema = z.object({
  /** Page id in the extraction dev set. */
  id: z.string(),
  label: z.string(),
  language: z.enum(['en', 'de', 'fr', 'es']),
  split: z.enum(['train', 'eval']),
  /** Why the label: which outlet metadata, checked by reading the title and lead. */
  evidence: z.string(),
});
export type Label = z.infer<typeof LabelSchema>;

export const OwnTextSchema = z.object({
  text: z.string().min(1),
  label: z.string(),
  language: z.enum(['en', 'de', 'fr', 'es']),
});

export const WebPageSchema = z.object({
  url: z.string().url(),
  /** `eval`: the section-neutral news sample, never trained on. */
  split: z.enum(['train', 'eval']),
  /** How the page was found: searching one sub-topic of a section, or section-neutral wording. */
  sample: z.enum(['topic', 'neutral']),
  label: z.string(),
  language: z.enum(['en', 'de', 'fr', 'es']),
  /** Where the label came from: the outlet's URL section or section line, checked by reading, or reading alone. */
  evidence: z.string(),
  /** The section the URL path names through the vocabulary, if any (the tag step's URL evidence). */
  urlSection: z.string().nullable(),
  words: z.number().int().positive(),
  /** The classifier's features: space-separated `stem` or `stem:count`. */
  stems: z.string().min(1),
});

/** A stored bag of stems (`stem` or `stem:count`, space-separated) as a map. */
export function parseStems(stems: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const token of stems.split(' ')) {
    const colon = token.lastIndexOf(':');
    if (colon > 0) out.set(token.slice(0, colon), Number(token.slice(colon + 1)));
    else out.set(token, 1);
  }
  return out;
}

export interface CorpusItem {
  readonly id: string;
  /** A dev-set page (labels.jsonl), an own text (own-texts.jsonl) or a web page (web-pages.jsonl). */
  readonly kind: 'page' | 'own' | 'web';
  readonly label: string;
  readonly language: string;
  readonly split: 'train' | 'eval';
  /** A dev page: the article with every metadata signal the page carries; an own text or a web page: its text only. */
  readonly article: TagInput;
  /**
   * A web page's features as stored (stem → count, title counted twice): web pages are kept as
   * bags of stems, not text, so training reads these instead of featurizing `article`.
   */
  readonly stems?: ReadonlyMap<string, number>;
  /** A web page's URL. */
  readonly url?: string;
  /** How a web page was found (see {@link WebPageSchema}). */
  readonly sample?: 'topic' | 'neutral';
}

/** Read a JSONL file of `schema` rows; blank lines and `#` comments are skipped. */
export function readJsonl<T>(path: string, schema: z.ZodType<T>): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l, i) => ({ line: l.trim(), number: i + 1 }))
    .filter(({ line }) => line !== '' && !line.startsWith('#'))
    .map(({ line, number }) => {
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path}:${number}: ${parsed.error.message}`);
      return parsed.data;
    });
}

/** The same article with every metadata signal removed: what the content classifier alone sees. */
export function contentOnly(article: Pick<TagInput, 'title' | 'text'>): TagInput {
  return {
    title: article.title,
    text: article.text,
    sectionLabels: [],
    canonicalUrl: null,
    hints: { jsonLdSections: [], metaSections: [], breadcrumbs: [], sectionLine: null, keywords: [] },
    provenance: { source: 'eval' },
  };
}

/**
 * The content model's stem length: training's, and the one the web pages are stored at (a test
 * holds the shipped model to it; changing it means collecting the web pages again).
 */
export const STEM_LENGTH = 7;

/**
 * Page → article with the project's normalizeDocument (the same code the pipeline runs), so the
 * evaluation sees the text and metadata hints the tag step sees.
 */
export function normalizePage(id: string, url: string): TagInput | null {
  const result = normalizeDocument(
    {
      key: `incoming/eval/${id}.html.gz`,
      body: readFileSync(join(DEV_SET_DIR, 'html', `${id}.html.gz`)),
      etag: null,
      sequencer: null,
      contentType: 'text/html',
      metadata: url.startsWith('http') ? { 'source-url': url } : {},
      ingestedAt: '2026-01-01T00:00:00.000Z',
    },
    { ...DEFAULT_NORMALIZE_SETTINGS, minWords: 1 },
  );
  if (result.tag !== 'items') return null;
  const first = result.items[0];
  return first?.tag === 'article' ? first.article : null;
}

/** Crude page → article: `<p>`/heading text, JSON-LD sections and breadcrumbs, `article:section`. */
export function crudeArticle(html: string, url: string): TagInput {
  const doc = parseDocument(html);
  const elements = findAll(() => true, doc.children);
  const byName = (name: string): Element[] => elements.filter((e) => e.name === name);
  const title = byName('h1')[0] ?? byName('title')[0];
  const paragraphs = elements
    .filter((e) => e.name === 'p' || e.name === 'h2')
    .map((e) => textContent(e).replace(/\s+/g, ' ').trim())
    .filter((t) => t.length > 40);
  const hints: Hints = {
    jsonLdSections: [],
    metaSections: [],
    breadcrumbs: [],
    sectionLine: null,
    keywords: [],
  };
  for (const meta of byName('meta')) {
    const property = getAttributeValue(meta, 'property') ?? getAttributeValue(meta, 'name');
    const content = getAttributeValue(meta, 'content');
    if (property === 'article:section' && content) hints.metaSections.push(content.trim());
  }
  for (const script of byName('script')) {
    if (getAttributeValue(script, 'type') !== 'application/ld+json') continue;
    try {
      collectJsonLd(JSON.parse(textContent(script)), hints);
    } catch {
      // malformed JSON-LD is common; skip it
    }
  }
  let canonical: string | null = url.startsWith('http') ? url : null;
  for (const link of byName('link')) {
    if (getAttributeValue(link, 'rel') === 'canonical')
      canonical = getAttributeValue(link, 'href') ?? canonical;
  }
  return {
    title: title ? textContent(title).replace(/\s+/g, ' ').trim() : null,
    text: paragraphs.join('\n\n'),
    sectionLabels: [...hints.jsonLdSections, ...hints.metaSections, ...hints.breadcrumbs],
    canonicalUrl: canonical,
    hints,
    provenance: { source: 'eval' },
  };
}

function collectJsonLd(node: unknown, hints: Hints): void {
  if (Array.isArray(node)) {
    for (const n of node) collectJsonLd(n, hints);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  const section = record.articleSection;
  if (typeof section === 'string') hints.jsonLdSections.push(section);
  else if (Array.isArray(section)) hints.jsonLdSections.push(...section.filter((s) => typeof s === 'string'));
  if (record['@type'] === 'BreadcrumbList' && Array.isArray(record.itemListElement)) {
    for (const item of record.itemListElement as Record<string, unknown>[]) {
      const name = item?.name ?? (item?.item as Record<string, unknown> | undefined)?.name;
      if (typeof name === 'string' && !/^(home|startseite|accueil|inicio|portada)$/i.test(name.trim())) {
        hints.breadcrumbs.push(name.trim());
      }
    }
  }
  if (record['@graph'] !== undefined) collectJsonLd(record['@graph'], hints);
}

/** A dev-set page as the scripts read it: normalizeDocument's article, else the crude one. */
export function devArticle(id: string): TagInput {
  const { url } = readDevTruth(id);
  return normalizePage(id, url) ?? crudeArticle(readDevPage(id), url);
}

/** Raw HTML of a dev-set page (gunzipped, decoded as UTF-8; a few pages are not, which is fine here). */
export function readDevPage(id: string): string {
  return gunzipSync(readFileSync(join(DEV_SET_DIR, 'html', `${id}.html.gz`))).toString('utf8');
}

/** Truth record of a dev-set page. */
export function readDevTruth(id: string): { url: string; title?: string } {
  return JSON.parse(readFileSync(join(DEV_SET_DIR, 'truth', `${id}.json`), 'utf8'));
}

/**
 * A stem as a word the classifier folds back to that stem. The function-word check comes before
 * folding, so a stem that is also a function word ("que", from the page's "qué") is written with
 * an acute accent on its first vowel, as the page's own word may have been.
 */
function asWord(stem: string): string {
  if (!STOPWORDS.has(stem)) return stem;
  return stem.replace(/[aeiouy]/, (vowel) => `${vowel}\u0301`.normalize('NFC'));
}

/**
 * Web pages as corpus items: the stems, and as the article a text made of them (they are folded,
 * cut tokens already, so the text's features are the stems themselves) that the tag step can
 * classify content only, as the page is stored.
 */
export function webPageItems(pages: readonly z.infer<typeof WebPageSchema>[]): CorpusItem[] {
  return pages.map((p, i) => {
    // A stem with a character that is neither letter nor digit comes from a compatibility
    // decomposition ("½" folds to "1⁄2"); no text reads back to it, so it is left out here, for
    // training and evaluation alike.
    const stems = new Map([...parseStems(p.stems)].filter(([stem]) => /^[\p{L}\p{N}]+$/u.test(stem)));
    return {
      id: `web-${i + 1}`,
      kind: 'web',
      url: p.url,
      sample: p.sample,
      label: p.label,
      language: p.language,
      split: p.split,
      article: contentOnly({
        title: null,
        text: [...stems].map(([stem, n]) => Array(n).fill(asWord(stem)).join(' ')).join(' '),
      }),
      stems,
    };
  });
}

/**
 * Every labelled page as an article with its metadata, plus the own short texts and the web pages
 * (train split; `web: false` leaves the web pages out, for comparing with and without them).
 */
export async function loadCorpus(
  options: { web?: boolean } = {},
): Promise<{ items: CorpusItem[]; extractor: string }> {
  const labels = readJsonl(join(DATA_DIR, 'labels.jsonl'), LabelSchema);
  const items: CorpusItem[] = [];
  for (const l of labels) {
    const article = devArticle(l.id);
    items.push({ id: l.id, kind: 'page', label: l.label, language: l.language, split: l.split, article });
  }
  const own = readJsonl(join(DATA_DIR, 'own-texts.jsonl'), OwnTextSchema);
  own.forEach((t, i) => {
    // An own text is a headline and a lead: the headline is the title, as on a page, so both
    // reach the classifier in the same form (contentText counts the title twice).
    const headline = t.text.match(/^(.+?[.?!])\s+(?=\p{Lu}|["„«¿¡])/u)?.[1];
    items.push({
      id: `own-${i + 1}`,
      kind: 'own',
      label: t.label,
      language: t.language,
      split: 'train',
      article: contentOnly({
        title: headline ?? null,
        text: headline === undefined ? t.text : t.text.slice(headline.length).trim(),
      }),
    });
  });
  const webFile = join(DATA_DIR, 'web-pages.jsonl');
  if (options.web !== false && existsSync(webFile))
    items.push(...webPageItems(readJsonl(webFile, WebPageSchema)));
  return { items, extractor: 'normalizeDocument (crude fallback when it rejects a page)' };
}
