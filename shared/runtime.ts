/**
 * What a step handler is given. Lambda entries (`functions/<step>/index.ts`) build it from the
 * environment with the AWS adapters; the local runner builds it with the same AWS adapters
 * pointed at s3rver/dynalite and an in-process queue. Handler factories take it, so the same
 * handler code runs in both places.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { NormalizedArticle } from './domain/article.ts';
import type { FingerprintInput, NearSubject, NearThresholds } from './domain/dedupe/near.ts';
import type { BatchSplit, ChunkWindow } from './domain/normalize/index.ts';
import type { NormalizeResult, NormalizeSettings, RawInput } from './domain/normalize/types.ts';
import type { TagResult } from './domain/tag/types.ts';
import type { StepMetrics } from './metrics.ts';
import type { ArticleStore, BlobStore, FingerprintIndex, IngestionLog, Queue } from './ports/index.ts';

export interface StepSettings {
  readonly duplicatePolicy: 'link' | 'drop';
  readonly maxDocumentBytes: number;
  readonly pipelineVersion: string;
  /**
   * normalize: a batch file with more records than this is split into chunks of this many
   * records, each normalized by its own invocation. @default {@link DEFAULT_BATCH_CHUNK_RECORDS}
   */
  readonly batchChunkRecords?: number;
}

/** Records per chunk of a split batch file: a chunk takes seconds, far inside normalize's timeout. */
export const DEFAULT_BATCH_CHUNK_RECORDS = 500;

/**
 * Where the pipeline's pure domain functions run. Unset (Lambda, tests): in the invocation,
 * synchronously. The local runner gives them a worker thread instead (local/domain-worker.ts): its
 * four steps share one event loop, and these are the long CPU stretches that held it up.
 */
export interface DomainEngine {
  /** `normalizeOrSplit`: one uploaded object, or the plan to cut a large batch file into chunks. */
  normalize(
    input: RawInput,
    settings: NormalizeSettings,
    chunkRecords?: number,
  ): Promise<NormalizeResult | BatchSplit>;
  /** `normalizeBatchChunk`: the lines of one chunk of a batch file. */
  normalizeChunk(input: RawInput, settings: NormalizeSettings, window: ChunkWindow): Promise<NormalizeResult>;
  /** `fingerprint`: an article's MinHash signature and bucket keys. */
  fingerprint(input: FingerprintInput, thresholds: NearThresholds): Promise<NearSubject | null>;
  /** `tagArticle` with the bundled vocabulary and model. */
  tag(article: NormalizedArticle): Promise<TagResult>;
}

export interface StepDeps {
  readonly blobs: BlobStore;
  readonly articles: ArticleStore;
  readonly fingerprints: FingerprintIndex;
  readonly ingestions: IngestionLog;
  /** The next step's queue; null for the last step. */
  readonly next: Queue | null;
  /**
   * The step's own queue, for a step that splits its work into messages to itself (normalize
   * fans a large batch file out in line ranges). Absent or null: the step does all of it at once.
   */
  readonly self?: Queue | null;
  readonly logger: Logger;
  readonly settings: StepSettings;
  /** Clock, injectable for tests. */
  readonly now: () => Date;
  /**
   * Told about each record a handler reports as failed, with the error behind it. The local
   * runner uses it to name the last error in a dead-letter failure record; on Lambda it is unset
   * (the error is in the log line).
   */
  readonly onRecordError?: (messageId: string, error: unknown) => void;
  /**
   * Where the step counts what it did (shared/metrics.ts). Powertools EMF on Lambda; unset in the
   * local runner, where nothing is counted and the console stays free of metric JSON.
   */
  readonly metrics?: StepMetrics;
  /** Where the pure domain functions run ({@link DomainEngine}). @default in the invocation */
  readonly domain?: DomainEngine;
}
