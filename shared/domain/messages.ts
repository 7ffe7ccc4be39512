/**
 * Messages between steps. A normalized article of up to {@link INLINE_ARTICLE_MAX_BYTES} travels
 * inside the message (`article`); a larger one lives in S3 as a claim check at `normalizedKey`
 * (SQS caps a message at 256 KB and bills every started 64 KB). Either way a message carries
 * what each step decided.
 */
import * as z from 'zod';
import { NormalizedArticleSchema, ProvenanceSchema, SectionScoreSchema } from './article.ts';

/**
 * Largest article (as JSON) carried inline. Below one 64 KB SQS billing chunk with room for the
 * verdicts and sections later steps add: an inline article costs no S3 PUT and three fewer GETs,
 * and no extra SQS charge. Most articles are 5–30 KB.
 */
export const INLINE_ARTICLE_MAX_BYTES = 56 * 1024;

/** normalize → dedupe */
export const ArticleRefSchema = z.object({
  articleId: z.string(),
  /**
   * The claim check `normalized/<articleId>/<contentHash>.json` (immutable, so a later version
   * never overwrites it), or null when the article is carried inline.
   */
  normalizedKey: z.string().nullable(),
  /** The article itself, when it is small enough to travel in the message. */
  article: NormalizedArticleSchema.optional(),
  contentHash: z.string(),
  canonicalUrl: z.string().nullable(),
  provenance: ProvenanceSchema,
});
export type ArticleRef = z.infer<typeof ArticleRefSchema>;

/** dedupe → tag */
export const DedupedSchema = ArticleRefSchema.extend({
  clusterId: z.string(),
  /** Id of the first article of the cluster, or null when this one is the first. */
  duplicateOf: z.string().nullable(),
  /** Similarity to `duplicateOf` (1 for exact duplicates), null when first. */
  similarity: z.number().nullable(),
  duplicateKind: z.enum(['exact', 'near']).nullable(),
});
export type Deduped = z.infer<typeof DedupedSchema>;

/** tag → store */
export const TaggedSchema = DedupedSchema.extend({
  section: z.string().nullable(),
  sections: z.array(SectionScoreSchema),
  vocabularyVersion: z.string(),
});
export type Tagged = z.infer<typeof TaggedSchema>;
