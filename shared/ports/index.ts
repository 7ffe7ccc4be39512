/**
 * Ports: the only I/O the domain steps see. Each has an AWS adapter in `shared/adapters/aws/`;
 * local mode uses the same AWS adapters pointed at s3rver and dynalite, plus the in-process
 * {@link Queue} from `local/`.
 */
import type { IngestionOutcome } from '../domain/outcomes.ts';

/** Object storage (the raw/working bucket). */
export interface BlobStore {
  /** Read an object; `maxBytes` caps what is read (larger objects throw `TooLargeError`). */
  get(key: string, opts?: { maxBytes?: number }): Promise<BlobObject>;
  put(key: string, body: Uint8Array | string, opts?: { contentType?: string }): Promise<void>;
  /** True when the object exists. */
  exists(key: string): Promise<boolean>;
  /** List keys under a prefix (paginated internally). */
  list(prefix: string): AsyncIterable<string>;
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
export interface FingerprintIndex {
  /**
   * Claim `key` for `value` if nobody has (conditional write). Returns the winning claim:
   * ours when we created it, the existing one otherwise. Race-free under concurrency.
   */
  claim(key: string, value: FingerprintClaim): Promise<FingerprintClaim>;
  get(key: string): Promise<FingerprintClaim | null>;
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
