/**
 * The Articles table item: the versioned schema downstream apps read (documented in README
 * "Item schema"). `schemaVersion` changes only with a migration note in docs/ARCHITECTURE.md.
 */
import * as z from 'zod';
import { ImageSchema, SectionScoreSchema } from './article.ts';

export const ITEM_SCHEMA_VERSION = 1;

export const ArticleItemSchema = z.object({
  schemaVersion: z.literal(ITEM_SCHEMA_VERSION),
  id: z.string(),
  title: z.string().nullable(),
  /** Main text; null when it was too large for an item and lives at `textKey` in S3. */
  text: z.string().nullable(),
  /** S3 key of the body when it is not inline (`bodies/<id>/<contentHash>.txt`). */
  textKey: z.string().nullable(),
  byline: z.array(z.string()),
  publishedAt: z.string().nullable(),
  modifiedAt: z.string().nullable(),
  sectionLabels: z.array(z.string()),
  canonicalUrl: z.string().nullable(),
  siteName: z.string().nullable(),
  language: z.string().nullable(),
  image: ImageSchema.nullable(),
  description: z.string().nullable(),
  wordCount: z.number().int(),
  // tag
  section: z.string().nullable(),
  sections: z.array(SectionScoreSchema),
  vocabularyVersion: z.string(),
  // dedupe
  clusterId: z.string(),
  duplicateOf: z.string().nullable(),
  similarity: z.number().nullable(),
  duplicateKind: z.enum(['exact', 'near']).nullable(),
  // versions
  contentHash: z.string(),
  version: z.number().int().positive(),
  previousContentHashes: z.array(z.string()),
  // provenance
  source: z.string(),
  rawKey: z.string(),
  line: z.number().int().nonnegative(),
  etag: z.string().nullable(),
  sequencer: z.string().nullable(),
  ingestedAt: z.string(),
  updatedAt: z.string(),
  pipelineVersion: z.string(),
  // index keys (derived; see shared/tables.ts)
  sectionDay: z.string().optional(),
  sourceDay: z.string(),
  sortKey: z.string(),
});
export type ArticleItem = z.infer<typeof ArticleItemSchema>;
