/**
 * tag: map an article to a canonical section with explainable evidence. Evidence is read in
 * order of trust (JSON-LD `articleSection`, `article:section`, breadcrumbs, the scraped-text
 * section line, other outlet labels, per-source overrides, URL path) and, when none resolves,
 * the content classifier decides or abstains. Pure and synchronous: no I/O.
 */
import type { SectionScore } from '../article.ts';
import type { ArticleItem } from '../item.ts';
import { indexKeys, sortTime } from '../store/build-item.ts';
import { type ContentModel, classifyContent, DEFAULT_CONTENT_MODEL } from './content.ts';
import { DEFAULT_OVERRIDES, matchOverride, type SourceOverrides } from './overrides.ts';
import type { TagInput, TagResult } from './types.ts';
import {
  DEFAULT_VOCABULARY,
  type IndexedVocabulary,
  matchLabel,
  matchUrl,
  normalizeLabel,
} from './vocabulary.ts';

export type { TagInput, TagResult } from './types.ts';
export { normalizeLabel } from './vocabulary.ts';

/** Evidence kinds as recorded in `sections[].via`, most trusted first. */
export type EvidenceKind =
  | 'jsonld'
  | 'meta'
  | 'breadcrumb'
  | 'section-line'
  | 'label'
  | 'override'
  | 'url'
  | 'content';

/**
 * Base score of each kind of evidence. Overrides rank above the generic URL mapping: an operator
 * writes one precisely because the shared vocabulary gets that outlet's paths wrong or misses them.
 */
export const EVIDENCE_TRUST: Readonly<Record<Exclude<EvidenceKind, 'content'>, number>> = {
  jsonld: 0.98,
  meta: 0.96,
  breadcrumb: 0.93,
  'section-line': 0.9,
  label: 0.9,
  override: 0.88,
  url: 0.85,
};

// A synonym found inside a longer label ("Global Economy") is a little weaker than an exact name.
const PHRASE_FACTOR = 0.95;
// Content candidates next to metadata evidence are shown for context, never allowed to outrank it.
const CONTENT_BESIDE_METADATA = 0.5;
const CONTENT_CANDIDATES = 3;
const MIN_CANDIDATE = 0.05;

export interface TagOptions {
  readonly vocabulary?: IndexedVocabulary;
  readonly model?: ContentModel;
  readonly overrides?: SourceOverrides;
  /** Minimum content probability for a primary section; default: the model's calibrated threshold. */
  readonly minContentConfidence?: number;
}

interface Evidence {
  readonly id: string;
  readonly score: number;
  readonly via: EvidenceKind;
  readonly match: string;
}

/**
 * Tag one article: primary `section` (null when nothing is confident), candidates best first
 * with the evidence used, and the vocabulary version.
 */
export function tagArticle(article: TagInput, options: TagOptions = {}): TagResult {
  const vocabulary = options.vocabulary ?? DEFAULT_VOCABULARY;
  const model = options.model ?? DEFAULT_CONTENT_MODEL;
  const evidence = metadataEvidence(article, vocabulary, options.overrides ?? DEFAULT_OVERRIDES);
  const combined = combine(evidence);

  const prediction = classifyContent(contentText(article), model);
  const hasMetadata = combined.length > 0;
  const taken = new Set(combined.map((s) => s.id));
  const contentScores: SectionScore[] = prediction.scores
    .filter((s) => !taken.has(s.id))
    .slice(0, CONTENT_CANDIDATES)
    .map((s) => ({
      id: s.id,
      score: round(s.probability * (hasMetadata ? CONTENT_BESIDE_METADATA : 1)),
      via: 'content',
      match: s.terms.length > 0 ? s.terms.join(', ') : null,
    }))
    .filter((s) => s.score >= MIN_CANDIDATE);

  const sections = [...combined, ...contentScores].sort((a, b) => b.score - a.score);
  const top = sections[0];
  const threshold = options.minContentConfidence ?? model.minConfidence;
  let section: string | null = null;
  if (hasMetadata) section = combined[0]?.id ?? null;
  else if (top !== undefined && top.score >= threshold) section = top.id;
  return { section, sections, vocabularyVersion: vocabulary.version };
}

/** Title and body as the content classifier reads them (the title counts twice: it is dense). */
export function contentText(article: Pick<TagInput, 'title' | 'text'>): string {
  const title = article.title ?? '';
  return `${title}\n${title}\n${article.text}`;
}

function metadataEvidence(
  article: TagInput,
  vocabulary: IndexedVocabulary,
  overrides: SourceOverrides,
): Evidence[] {
  const found: Evidence[] = [];
  const seenLabels = new Set<string>();
  const ownName = ownNames(article);
  const fromLabels = (all: readonly string[], via: EvidenceKind, trust: number): void => {
    // A long list is a keyword soup put in a section field; only its head names a section.
    const labels = all.length > MAX_SECTION_VALUES ? all.slice(0, 2) : all;
    labels.forEach((label, position) => {
      const normalized = normalizeLabel(label);
      seenLabels.add(normalized);
      if (ownName.has(normalized)) return;
      const override = matchOverride(overrides, article.provenance.source, { label });
      if (override !== null) {
        found.push({ id: override.id, score: EVIDENCE_TRUST.override, via: 'override', match: label });
        return;
      }
      const m = matchLabel(label, vocabulary);
      if (m === null) return;
      // Later values of a multi-valued field are usually broader or secondary.
      const score = trust * (m.exact ? 1 : PHRASE_FACTOR) * (1 - 0.01 * Math.min(position, 5));
      found.push({ id: m.id, score, via, match: label });
    });
  };
  const { hints } = article;
  fromLabels(hints.jsonLdSections, 'jsonld', EVIDENCE_TRUST.jsonld);
  fromLabels(hints.metaSections, 'meta', EVIDENCE_TRUST.meta);
  // Breadcrumbs run outermost first; the innermost crumb is the most specific section.
  // The last crumb is often the headline itself, which names no section.
  const title = normalizeLabel(article.title ?? '');
  const crumbs = hints.breadcrumbs.filter((c) => normalizeLabel(c) !== title);
  fromLabels([...crumbs].reverse(), 'breadcrumb', EVIDENCE_TRUST.breadcrumb);
  if (hints.sectionLine !== null)
    fromLabels([hints.sectionLine], 'section-line', EVIDENCE_TRUST['section-line']);
  // Labels normalize kept without saying where they came from (e.g. items re-read for retag).
  fromLabels(
    article.sectionLabels.filter((l) => !seenLabels.has(normalizeLabel(l))),
    'label',
    EVIDENCE_TRUST.label,
  );

  const paths = [article.canonicalUrl, rawKeyPath(article.provenance.rawKey)].filter(
    (p): p is string => p !== null,
  );
  for (const path of paths) {
    const override = matchOverride(overrides, article.provenance.source, { path });
    if (override !== null) {
      found.push({ id: override.id, score: EVIDENCE_TRUST.override, via: 'override', match: override.match });
      break;
    }
  }
  if (article.canonicalUrl !== null) {
    const m = matchUrl(article.canonicalUrl, vocabulary);
    if (m !== null) found.push({ id: m.id, score: EVIDENCE_TRUST.url, via: 'url', match: m.segment });
  }
  return found;
}

const MAX_SECTION_VALUES = 5;

/** The outlet's own name as it shows up in breadcrumbs ("Jungle.World", "FAZ.NET"): never a section. */
function ownNames(article: TagInput): Set<string> {
  const names = new Set<string>();
  if (article.siteName) names.add(normalizeLabel(article.siteName));
  if (article.canonicalUrl !== null) {
    try {
      const host = new URL(article.canonicalUrl).hostname.replace(/^www\./u, '');
      names.add(normalizeLabel(host));
      names.add(normalizeLabel(host.replace(/\.[a-z]+$/u, '')));
    } catch {
      // not a URL: nothing to add
    }
  }
  names.delete('');
  return names;
}

/** `incoming/<source>/eco/2026/a.html` → `/eco/2026/a.html`: upstream folders can carry sections too. */
function rawKeyPath(rawKey: string | undefined): string | null {
  if (rawKey === undefined) return null;
  const parts = rawKey.split('/');
  return parts.length > 3 ? `/${parts.slice(2).join('/')}` : null;
}

/**
 * One candidate per section: independent pieces of evidence for the same section reinforce each
 * other (noisy-or), and the candidate keeps the most trusted piece as its `via` and `match`.
 */
function combine(evidence: readonly Evidence[]): SectionScore[] {
  const bySection = new Map<string, { best: Evidence; miss: number }>();
  for (const e of evidence) {
    const entry = bySection.get(e.id);
    if (entry === undefined) bySection.set(e.id, { best: e, miss: 1 - e.score });
    else {
      entry.miss *= 1 - e.score;
      if (e.score > entry.best.score) entry.best = e;
    }
  }
  return [...bySection.values()]
    .map(({ best, miss }) => ({
      id: best.id,
      score: round(Math.min(0.999, 1 - miss)),
      via: best.via,
      match: best.match,
    }))
    .sort((a, b) => b.score - a.score || trustRank(a.via) - trustRank(b.via));
}

const TRUST_ORDER: readonly string[] = Object.keys(EVIDENCE_TRUST);
const trustRank = (via: string): number => TRUST_ORDER.indexOf(via);
const round = (x: number): number => Math.round(x * 1000) / 1000;

/** What re-tagging decided for one stored article. */
export interface RetagOutcome {
  readonly result: TagResult;
  /** True when section, candidates or vocabulary version differ from what the item holds. */
  readonly changed: boolean;
}

/**
 * Re-tag a stored article (after a vocabulary or model change). `article` is the claim check
 * when it can be read, else {@link tagInputFromItem}; `stored` is what the item holds now
 * (an {@link ArticleItem} fits).
 */
export function retagArticle(article: TagInput, stored: TagResult, options: TagOptions = {}): RetagOutcome {
  const result = tagArticle(article, options);
  const changed =
    result.section !== stored.section ||
    result.vocabularyVersion !== stored.vocabularyVersion ||
    JSON.stringify(result.sections) !== JSON.stringify(stored.sections);
  return { result, changed };
}

/**
 * Tag input rebuilt from a stored item when its claim check is gone. The item keeps the outlet's
 * labels but not which field each came from, so they count as `label` evidence.
 */
export function tagInputFromItem(
  item: Pick<ArticleItem, 'title' | 'sectionLabels' | 'canonicalUrl' | 'source' | 'rawKey'>,
  text: string,
): TagInput {
  return {
    title: item.title,
    text,
    sectionLabels: item.sectionLabels,
    canonicalUrl: item.canonicalUrl,
    hints: { jsonLdSections: [], metaSections: [], breadcrumbs: [], sectionLine: null, keywords: [] },
    provenance: { source: item.source, rawKey: item.rawKey },
  };
}

/**
 * The tag fields to write back for a re-tagged item, with its section index key recomputed the
 * way the store step computes it (so the article moves to its new section's listing).
 */
export function tagUpdateFor(
  item: Pick<ArticleItem, 'id' | 'contentHash' | 'source' | 'publishedAt' | 'ingestedAt'>,
  result: TagResult,
): {
  readonly id: string;
  readonly contentHash: string;
  readonly section: string | null;
  readonly sections: SectionScore[];
  readonly vocabularyVersion: string;
  readonly sectionDay: string | null;
} {
  const keys = indexKeys({
    id: item.id,
    section: result.section,
    source: item.source,
    time: sortTime(item.publishedAt, item.ingestedAt),
  });
  return {
    id: item.id,
    contentHash: item.contentHash,
    section: result.section,
    sections: [...result.sections],
    vocabularyVersion: result.vocabularyVersion,
    sectionDay: keys.sectionDay ?? null,
  };
}
