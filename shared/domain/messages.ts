/**
 * Messages between steps. They stay small (SQS caps a message at 256 KB): the article itself
 * lives in S3 as a claim check at `normalizedKey`; a message carries the key plus what each
 * step decided.
 */
import * as z from 'zod';
import { ProvenanceSchema, SectionScoreSchema } from './article.ts';

/** normalize → dedupe */
export const ArticleRefSchema = z.object({
  articleId: z.string(),
  /** `normalized/<articleId>/<contentHash>.json`: immutable, so a later version never overwrites it. */
  normalizedKey: z.string(),
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
