/** Contract of the normalize domain: raw bytes in, articles (or tagged rejections) out. */
import type { NormalizedArticle } from '../article.ts';
import type { Rejected } from '../outcomes.ts';

/** One raw object as read from the bucket. */
export interface RawInput {
  /** Decoded S3 key (`incoming/<source>/<path>`); used for the extension hint and ids. */
  readonly key: string;
  readonly body: Uint8Array;
  readonly etag: string | null;
  readonly sequencer: string | null;
  readonly contentType: string | null;
  /** S3 user metadata: `source-url`, `fetched-at`, `section` (lower-case keys). */
  readonly metadata: Readonly<Record<string, string>>;
  /** When the pipeline first saw the object (ISO 8601 UTC). */
  readonly ingestedAt: string;
}

export interface NormalizeSettings {
  /** Decompressed-size cap for gzip inputs and the size cap for any document, in bytes. */
  readonly maxDocumentBytes: number;
  /** Cap on records taken from one batch file. */
  readonly maxBatchRecords: number;
  /**
   * Cap on a whole batch file (`.jsonl`/`.ndjson`, decompressed); each of its records is still
   * held to `maxDocumentBytes`. A batch of 10,000 news records is 40-100 MB, well past a single
   * document's cap. @default 128 MiB
   */
  readonly maxBatchBytes?: number;
  /** Minimum words for an input to count as an article. */
  readonly minWords: number;
}

export const DEFAULT_NORMALIZE_SETTINGS: NormalizeSettings = {
  maxDocumentBytes: 20 * 1024 * 1024,
  maxBatchRecords: 100_000,
  maxBatchBytes: 128 * 1024 * 1024,
  minWords: 20,
};

/** One item of a normalize result: a batch file yields one per line. */
export type NormalizeItem =
  | { readonly tag: 'article'; readonly line: number; readonly article: NormalizedArticle }
  | (Rejected & { readonly line: number });

/** Whole-file outcome: either items (maybe some rejected lines) or the file is rejected as a whole. */
export type NormalizeResult =
  | { readonly tag: 'items'; readonly items: readonly NormalizeItem[] }
  | (Rejected & { readonly line: 0 });

/** Keys of batch files (JSON Lines, optionally gzipped), which get {@link sizeCapFor}'s batch cap. */
export const BATCH_KEY = /\.(jsonl|ndjson)(\.gz)?$/i;

/** The size cap for the raw object at `key`: the batch cap for a batch file, else the document cap. */
export function sizeCapFor(key: string, settings: NormalizeSettings): number {
  if (!BATCH_KEY.test(key)) return settings.maxDocumentBytes;
  return Math.max(
    settings.maxDocumentBytes,
    settings.maxBatchBytes ?? DEFAULT_NORMALIZE_SETTINGS.maxBatchBytes ?? 0,
  );
}
