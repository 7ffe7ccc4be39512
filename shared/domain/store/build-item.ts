/**
 * Build the Articles item (shared/domain/item.ts) from the claim check and the tag step's
 * message, with the index keys of shared/tables.ts. Pure: where the body goes is decided here,
 * the write happens in the step.
 */
import type { NormalizedArticle } from '../article.ts';
import { type ArticleItem, ITEM_SCHEMA_VERSION } from '../item.ts';
import type { Tagged } from '../messages.ts';

/**
 * Text longer than this (UTF-8 bytes) lives in S3, not in the item: DynamoDB caps an item at
 * 400 KB and the rest of the item needs room.
 */
export const INLINE_TEXT_LIMIT_BYTES = 300_000;

/** S3 key of an out-of-item body; immutable per content, so versions never overwrite each other. */
export const bodyKey = (id: string, contentHash: string): string => `bodies/${id}/${contentHash}.txt`;

/** True when `text` is small enough to sit in the item. */
export const fitsInline = (text: string): boolean =>
  Buffer.byteLength(text, 'utf8') <= INLINE_TEXT_LIMIT_BYTES;

const iso = (value: string | null): string | null => {
  if (value === null) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

/**
 * The time an article sorts by: when it was published, else when we first saw it. A publication
 * time in the future (a bad date) would pin the article to the top of every list, so it yields to
 * the ingestion time. Always full ISO with milliseconds, so keys sort as times.
 */
export function sortTime(publishedAt: string | null, ingestedAt: string): string {
  const seen = iso(ingestedAt) ?? ingestedAt;
  const published = iso(publishedAt);
  return published !== null && published <= seen ? published : seen;
}

/** GSI keys: date-bucketed section and source partitions, and a time-ordered sort key. */
export function indexKeys(input: {
  readonly id: string;
  readonly section: string | null;
  readonly source: string;
  readonly time: string;
}): Pick<ArticleItem, 'sectionDay' | 'sourceDay' | 'sortKey'> {
  const day = input.time.slice(0, 10);
  return {
    ...(input.section !== null ? { sectionDay: `${input.section}#${day}` } : {}),
    sourceDay: `${input.source}#${day}`,
    sortKey: `${input.time}#${input.id}`,
  };
}

/**
 * The item for `article` as tagged in `message`. `textKey` is set when the body lives in S3 (see
 * {@link fitsInline}); version bookkeeping is left at 1 / [] for the store's upsert to settle.
 */
export function buildArticleItem(
  article: NormalizedArticle,
  message: Tagged,
  opts: { readonly now: string; readonly pipelineVersion: string; readonly textKey: string | null },
): ArticleItem {
  const p = message.provenance;
  return {
    schemaVersion: ITEM_SCHEMA_VERSION,
    id: message.articleId,
    title: article.title,
    text: opts.textKey === null ? article.text : null,
    textKey: opts.textKey,
    byline: article.byline,
    publishedAt: article.publishedAt,
    modifiedAt: article.modifiedAt,
    sectionLabels: article.sectionLabels,
    canonicalUrl: article.canonicalUrl,
    siteName: article.siteName,
    language: article.language,
    image: article.image,
    description: article.description,
    wordCount: article.wordCount,
    section: message.section,
    sections: message.sections,
    vocabularyVersion: message.vocabularyVersion,
    clusterId: message.clusterId,
    duplicateOf: message.duplicateOf,
    similarity: message.similarity,
    duplicateKind: message.duplicateKind,
    contentHash: message.contentHash,
    version: 1,
    previousContentHashes: [],
    source: p.source,
    rawKey: p.rawKey,
    line: p.line,
    etag: p.etag,
    sequencer: p.sequencer,
    ingestedAt: p.ingestedAt,
    updatedAt: opts.now,
    pipelineVersion: opts.pipelineVersion,
    ...indexKeys({
      id: message.articleId,
      section: message.section,
      source: p.source,
      time: sortTime(article.publishedAt, p.ingestedAt),
    }),
  };
}
