/**
 * The normalized article: what the normalize step produces from any raw input, and what every
 * later step reads from the claim check in S3. Versioned with {@link NORMALIZED_SCHEMA_VERSION}.
 */
import * as z from 'zod';

export const NORMALIZED_SCHEMA_VERSION = 1;

/** Where an article came from: the raw object and, for batch files, the line within it. */
export const ProvenanceSchema = z.object({
  /** S3 key of the raw object, decoded (`incoming/<source>/<path>`). */
  rawKey: z.string().min(1),
  /** 1-based line number within a JSONL batch; 0 for single-document files. */
  line: z.number().int().nonnegative(),
  /** ETag of the raw object as S3 reported it (without quotes). */
  etag: z.string().nullable(),
  /** S3 event `sequencer` (hex, orders events on one key); null when unknown (replay). */
  sequencer: z.string().nullable(),
  /** Source name: the first path segment after `incoming/`. */
  source: z.string().min(1),
  /** When the pipeline first saw the object (ISO 8601 UTC). */
  ingestedAt: z.string(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const ImageSchema = z.object({
  url: z.string().nullable(),
  caption: z.string().nullable(),
  credit: z.string().nullable(),
});
export type Image = z.infer<typeof ImageSchema>;

/** Structured evidence found in the raw document that later steps (tag) use. */
export const HintsSchema = z.object({
  /** JSON-LD `articleSection` values. */
  jsonLdSections: z.array(z.string()).default([]),
  /** `<meta property="article:section">` values. */
  metaSections: z.array(z.string()).default([]),
  /** Breadcrumb trail labels, outermost first, without "Home". */
  breadcrumbs: z.array(z.string()).default([]),
  /** Section line at the top of scraped text, or the `section` field of a JSON record / S3 metadata. */
  sectionLine: z.string().nullable().default(null),
  /** Keywords / tags the outlet attached. */
  keywords: z.array(z.string()).default([]),
});
export type Hints = z.infer<typeof HintsSchema>;

export const NormalizedArticleSchema = z.object({
  schemaVersion: z.literal(NORMALIZED_SCHEMA_VERSION),
  /** Stable id: from the canonical URL when known, else from raw key + line. */
  id: z.string().min(1),
  title: z.string().nullable(),
  /** Main text, NFC, paragraphs separated by one blank line. */
  text: z.string(),
  byline: z.array(z.string()),
  publishedAt: z.string().nullable(),
  modifiedAt: z.string().nullable(),
  /** Section labels exactly as the outlet wrote them (most trusted first). */
  sectionLabels: z.array(z.string()),
  canonicalUrl: z.string().nullable(),
  siteName: z.string().nullable(),
  /** ISO 639-1 code detected from the text, or null when too short / unknown. */
  language: z.string().nullable(),
  image: ImageSchema.nullable(),
  description: z.string().nullable(),
  wordCount: z.number().int().nonnegative(),
  /** Format the raw input was detected as. */
  format: z.enum(['html', 'text', 'json', 'jsonl']),
  /** Charset the bytes were decoded with. */
  charset: z.string(),
  /** sha256 (hex) of the text after {@link textForHash}: the exact-duplicate key. */
  contentHash: z.string(),
  hints: HintsSchema,
  provenance: ProvenanceSchema,
});
export type NormalizedArticle = z.infer<typeof NormalizedArticleSchema>;

/** One section decision with the evidence that produced it. */
export const SectionScoreSchema = z.object({
  id: z.string(),
  score: z.number().min(0).max(1),
  /** Evidence kind: jsonld, meta, breadcrumb, section-line, url, override, content. */
  via: z.string(),
  /** The text that matched (label, path segment, or top content terms). */
  match: z.string().nullable(),
});
export type SectionScore = z.infer<typeof SectionScoreSchema>;
