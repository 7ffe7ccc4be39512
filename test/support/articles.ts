/**
 * Realistic article values for tests that need a NormalizedArticle or an ArticleItem without
 * running the normalizer. The text is from a real news story (public wire copy style).
 */
import { createHash } from 'node:crypto';
import { NORMALIZED_SCHEMA_VERSION, type NormalizedArticle } from '#shared/domain/article.ts';
import type { ArticleItem } from '#shared/domain/item.ts';
import type { Tagged } from '#shared/domain/messages.ts';
import { buildArticleItem } from '#shared/domain/store/build-item.ts';

export const STORY_TEXT = [
  'DeepSeek has triggered a dramatic rethink of how much computing power is needed to build leading artificial intelligence models.',
  'The Hangzhou-based start-up said its latest model was trained for a fraction of the cost of its American rivals, using chips that are subject to export controls.',
  'Analysts said the claims, if they hold up, would challenge the assumption that the biggest spenders will always win.',
].join('\n\n');

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A normalized article with `text`, for the raw key and line given; other fields plausible. */
export function makeArticle(
  overrides: Partial<Omit<NormalizedArticle, 'provenance'>> & {
    provenance?: Partial<NormalizedArticle['provenance']>;
  } = {},
): NormalizedArticle {
  const text = overrides.text ?? STORY_TEXT;
  const { provenance, ...rest } = overrides;
  return {
    schemaVersion: NORMALIZED_SCHEMA_VERSION,
    id: 'art-0001',
    title: 'DeepSeek offers no new answers to China’s AI bind',
    byline: ['Jane Doe'],
    publishedAt: '2025-01-30T08:00:00.000Z',
    modifiedAt: null,
    sectionLabels: ['Global Economy'],
    canonicalUrl: 'https://example.com/economy/deepseek',
    siteName: 'Example Times',
    language: 'en',
    image: null,
    description: null,
    wordCount: text.split(/\s+/).length,
    format: 'text',
    charset: 'utf-8',
    hints: {
      jsonLdSections: [],
      metaSections: [],
      breadcrumbs: [],
      sectionLine: 'Global Economy',
      keywords: [],
    },
    ...rest,
    text,
    contentHash: overrides.contentHash ?? sha256(text),
    provenance: {
      rawKey: 'incoming/example/deepseek.txt',
      line: 0,
      etag: 'etag-1',
      sequencer: '0062E99A88DC407460',
      source: 'example',
      ingestedAt: '2025-01-30T09:00:00.000Z',
      ...provenance,
    },
  };
}

/** The tag step's message for `article` (first of its cluster unless overridden). */
export function makeTagged(article: NormalizedArticle, overrides: Partial<Tagged> = {}): Tagged {
  return {
    articleId: article.id,
    normalizedKey: `normalized/${article.id}/${article.contentHash}.json`,
    contentHash: article.contentHash,
    canonicalUrl: article.canonicalUrl,
    provenance: article.provenance,
    clusterId: article.id,
    duplicateOf: null,
    similarity: null,
    duplicateKind: null,
    section: 'business',
    sections: [{ id: 'business', score: 0.9, via: 'section-line', match: 'Global Economy' }],
    vocabularyVersion: '1',
    ...overrides,
  };
}

/** The Articles item for `article` as the store step would build it. */
export function makeItem(
  article: NormalizedArticle = makeArticle(),
  overrides: Partial<Tagged> = {},
): ArticleItem {
  return buildArticleItem(article, makeTagged(article, overrides), {
    now: '2025-01-30T09:00:05.000Z',
    pipelineVersion: 'test',
    textKey: null,
  });
}
