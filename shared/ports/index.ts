/**
 * Ports: the only I/O the domain steps see. Each has an AWS adapter in `shared/adapters/aws/`;
 * local mode uses the same AWS adapters pointed at s3rver and dynalite, plus the in-process
 * {@link Queue} from `local/`.
 */
import type { NearEntry } from '../domain/dedupe/near.ts';
import type { ArticleItem } from '../domain/item.ts';
import type { IngestionOutcome } from '../domain/outcomes.ts';

/** Object storage (the raw/working bucket). */
export interface BlobStore {
  /**
   * Read an object; `maxBytes` caps what is read (larger objects throw `TooLargeError`). With
   * `range`, only bytes `start` (inclusive) to `end` (exclusive) are read (a ranged GET); the
   * ETag and metadata are still the whole object's.
   */
  get(key: string, opts?: { maxBytes?: number; range?: ByteRange }): Promise<BlobObject>;
  put(key: string, body: Uint8Array | string, opts?: { contentType?: string }): Promise<void>;
  /** True when the object exists. */
  exists(key: string): Promise<boolean>;
  /** List keys under a prefix (paginated internally). */
  list(prefix: string): AsyncIterable<string>;
}

/** Bytes `start` (inclusive) to `end` (exclusive) of an object. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface BlobObject {
  readonly body: Uint8Array;
  readonly etag: string | null;
  readonly contentType: string | null;
  /** User metadata (`x-amz-meta-*`), lower-cased keys: `source-url`, `fetched-at`, `section`. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** A message queue with SQS semantics (at-least-once, batches). */
export interface Queue {
  send(messages: readonly QueueMessage[]): Promise<void>;
}

export interface QueueMessage {
  readonly body: string;
  readonly delaySeconds?: number;
}

/** Exact-hash claims and near-duplicate index entries. */
export interface FingerprintIndex extends NearBuckets {
  /**
   * Claim `key` for `value` if nobody has (conditional write). Returns the winning claim:
   * ours when we created it, the existing one otherwise. Race-free under concurrency.
   */
  claim(key: string, value: FingerprintClaim): Promise<FingerprintClaim>;
  get(key: string): Promise<FingerprintClaim | null>;
  /**
   * Point the claim on `key` at `clusterId`, if `articleId` holds it (conditional update): used
   * when the holder later joins another article's story cluster.
   */
  setClaimCluster(key: string, articleId: string, clusterId: string): Promise<void>;
}

/**
 * Near-duplicate buckets (LSH bands) in the Fingerprints table. A bucket is written by the article
 * that found it empty and from then on only read; its entry carries the owner's signature and
 * cluster decision, so one batch read gives verified candidates at a cost independent of table
 * size. Only articles racing for the same empty bucket can overwrite each other, which the
 * protocol in `shared/steps/near-cluster.ts` detects by reading its buckets back.
 */
export interface NearBuckets {
  /** Strongly consistent read of buckets; keys absent from the result are unclaimed. */
  getNearEntries(keys: readonly string[]): Promise<ReadonlyMap<string, NearEntry>>;
  /**
   * Strongly consistent read of who owns each bucket (article id), without the entries: the
   * read-back after a write only needs to know whether it is still ours.
   */
  getNearOwners(keys: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** Write `entry` to buckets found empty (batched, unconditional: the last writer of a race wins). */
  putNearEntries(keys: readonly string[], entry: NearEntry): Promise<void>;
  /** Rewrite the decision in a bucket owned by `entry.articleId` (after a lost race). */
  updateNear(key: string, entry: NearEntry): Promise<void>;
}

export interface FingerprintClaim {
  readonly articleId: string;
  readonly clusterId: string;
  readonly at: string;
}

/** What became of each input: one record per (raw key, line). Failures are replayable. */
export interface IngestionLog {
  record(entry: IngestionRecord): Promise<void>;
  list(opts?: { rawKeyPrefix?: string; outcome?: IngestionOutcome }): AsyncIterable<IngestionRecord>;
  listFailures(): AsyncIterable<IngestionRecord>;
}

export interface IngestionRecord {
  readonly rawKey: string;
  /** 0 for a whole file, else the 1-based line of a batch file. */
  readonly line: number;
  readonly articleId: string | null;
  readonly outcome: IngestionOutcome;
  readonly reason: string | null;
  /** Step that decided the outcome. */
  readonly step: string;
  readonly at: string;
  /** S3 sequencer of the upload this record is about (redeliveries keep the first record). */
  readonly sequencer: string | null;
  /** For failures after normalize: the step's input message, so replay can resend it. */
  readonly replayMessage?: string | null;
}

/** The Articles table. */
export interface ArticleStore {
  /**
   * Insert or update by id, idempotently: the same content again is `unchanged`; new content for
   * an existing id bumps `version` (conditional write, race-free).
   */
  upsert(item: ArticleItem): Promise<UpsertResult>;
  get(id: string): Promise<ArticleItem | null>;
  /** Latest first within a section, walking day buckets back (optionally bounded in time). */
  latestInSection(
    section: string,
    page?: PageRequest & { since?: string; until?: string },
  ): Promise<Page<ArticleItem>>;
  /** Latest first for a source, optionally bounded in time. */
  bySource(
    source: string,
    page?: PageRequest & { since?: string; until?: string },
  ): Promise<Page<ArticleItem>>;
  /** Every article of a story cluster, oldest first. */
  byCluster(clusterId: string, page?: PageRequest): Promise<Page<ArticleItem>>;
  /** Every item (export). */
  scan(): AsyncIterable<ArticleItem>;
  /**
   * Replace the tag fields of a stored article (re-tagging after a vocabulary change), only while
   * it still holds `update.contentHash`: a newer version is tagged by its own pipeline run.
   * Returns false when the item is gone or has moved on.
   */
  updateTags(update: TagUpdate): Promise<boolean>;
}

/** New tag fields for one stored article; `sectionDay` null removes it from the section index. */
export interface TagUpdate {
  readonly id: string;
  readonly contentHash: string;
  readonly section: string | null;
  readonly sections: ArticleItem['sections'];
  readonly vocabularyVersion: string;
  readonly sectionDay: string | null;
}

export type UpsertResult =
  | { readonly tag: 'created'; readonly version: 1 }
  | { readonly tag: 'updated'; readonly version: number }
  | {
      readonly tag: 'unchanged';
      readonly version: number;
      /** The item as stored, which this call left alone. */
      readonly existing: ArticleItem;
    };

export interface PageRequest {
  readonly limit?: number;
  /** Opaque cursor from a previous page. */
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back to get the next page; null when there is none. */
  readonly cursor: string | null;
}
