/**
 * The normalize step over ports: one uploaded object in, claim checks written and article
 * references out; every rejected file or batch line recorded as a failure naming it. Re-running
 * it on the same event writes the same keys and returns the same references.
 *
 * A batch file of more records than `batchChunkRecords` is not normalized in one go: the event's
 * invocation splits it into line ranges and sends one chunk message per range to the step's own
 * queue ({@link BatchChunkMessage}); each chunk is then read (a ranged GET when the bytes allow),
 * normalized and forwarded by its own invocation, and retried or dead-lettered alone.
 */
import { type BatchChunkMessage, chunkMessages, describeChunk } from '../domain/chunk-message.ts';
import type { ArticleRef } from '../domain/messages.ts';
import { type BatchSplit, normalizeBatchChunk } from '../domain/normalize/index.ts';
import {
  DEFAULT_NORMALIZE_SETTINGS,
  type NormalizeItem,
  type NormalizeResult,
  type NormalizeSettings,
  type RawInput,
  sizeCapFor,
} from '../domain/normalize/types.ts';
import { DependencyError, NotFoundError, TooLargeError } from '../errors.ts';
import { mapLimit } from '../map-limit.ts';
import type { RejectReason } from '../metrics.ts';
import { BUCKET_PREFIXES } from '../pipeline.ts';
import type { BlobObject } from '../ports/index.ts';
import { DEFAULT_BATCH_CHUNK_RECORDS, type StepDeps } from '../runtime.ts';
import type { S3ObjectRef } from '../s3-events.ts';
import { handOff } from './claim-check.ts';
import type { StepLog } from './record-log.ts';

/**
 * The normalize domain function (shared/domain/normalize), injected so the step stays testable:
 * `normalizeOrSplit`, which may cut a large batch into chunks, or `normalizeDocument`, which never does.
 */
export type Normalizer = (
  input: RawInput,
  settings: NormalizeSettings,
  chunkRecords?: number,
) => NormalizeResult | BatchSplit | Promise<NormalizeResult | BatchSplit>;

/** S3 writes in flight at once while fanning out a batch file. */
const WRITE_CONCURRENCY = 16;

/** Where a failure happened, for a reason a person can act on: the file, and the line of a batch. */
export const describeInput = (rawKey: string, line: number): string =>
  line > 0 ? `${rawKey} line ${line}` : rawKey;

/** Records failures of one raw object: the file, or a line of a batch. */
const failureRecorder =
  (deps: StepDeps, key: string, sequencer: string | null) =>
  (line: number, code: RejectReason, reason: string): Promise<void> => {
    deps.metrics?.count('RecordsRejected', 1, { reason: code });
    return deps.ingestions.record({
      rawKey: key,
      line,
      articleId: null,
      outcome: 'failed',
      reason: `${describeInput(key, line)}: ${reason}`,
      step: 'normalize',
      at: deps.now().toISOString(),
      sequencer,
    });
  };

type Fail = ReturnType<typeof failureRecorder>;

/** The normalize settings for this deployment: the domain defaults with the configured document cap. */
export const settingsOf = (deps: Pick<StepDeps, 'settings'>): NormalizeSettings => ({
  ...DEFAULT_NORMALIZE_SETTINGS,
  maxDocumentBytes: deps.settings.maxDocumentBytes,
});

/** Records per chunk a batch file is cut into: the configured figure, else the default. */
export const chunkRecordsOf = (deps: Pick<StepDeps, 'settings'>): number =>
  deps.settings.batchChunkRecords ?? DEFAULT_BATCH_CHUNK_RECORDS;

/**
 * Read `key` (whole, or `range` of it), recording a failure and returning null when it is too
 * large or gone, or when it is no longer the upload `etag` names (a newer upload's own event
 * processes it: doing it here would file the newer content under this event's older sequencer).
 */
async function readRaw(
  deps: StepDeps,
  key: string,
  etag: string | null,
  opts: { maxBytes: number; range?: { start: number; end: number } },
  fail: Fail,
  log: StepLog,
): Promise<BlobObject | null> {
  let raw: BlobObject;
  try {
    raw = await deps.blobs.get(key, opts);
  } catch (error) {
    if (error instanceof TooLargeError) {
      await fail(0, 'too-large', `the file is larger than the ${opts.maxBytes}-byte limit`);
      return null;
    }
    if (error instanceof NotFoundError) {
      // Deleted before we got to it: nothing to process, and nothing a retry can fix.
      await fail(0, 'deleted-before-read', 'the object was deleted before it could be read');
      return null;
    }
    throw error;
  }
  if (etag !== null && raw.etag !== null && etag !== raw.etag) {
    log.info('Superseded by a newer upload of the same key', { eventEtag: etag, etag: raw.etag });
    return null;
  }
  return raw;
}

/**
 * The domain's input for `raw`, read for an upload that `upload` (its event, or a chunk of it)
 * describes. The event's time, not ours: a re-run of the same event yields identical articles.
 */
export const rawInputOf = (
  key: string,
  raw: BlobObject,
  upload: { readonly etag: string | null; readonly sequencer: string | null; readonly eventTime: string },
): RawInput => ({
  key,
  body: raw.body,
  etag: raw.etag ?? upload.etag,
  sequencer: upload.sequencer,
  contentType: raw.contentType,
  metadata: raw.metadata,
  ingestedAt: upload.eventTime,
});

/** Record the rejected items, write the articles' claim checks; returns the references to forward. */
async function forwardItems(
  items: readonly NormalizeItem[],
  deps: StepDeps,
  fail: Fail,
  log: StepLog,
): Promise<ArticleRef[]> {
  const refs = await mapLimit(items, WRITE_CONCURRENCY, async (item): Promise<ArticleRef | null> => {
    if (item.tag !== 'article') {
      log.info('Line rejected', { line: item.line, code: item.code, reason: item.reason });
      await fail(item.line, item.code, item.reason);
      return null;
    }
    return handOff(deps.blobs, item.article);
  });
  const forwarded = refs.filter((r): r is ArticleRef => r !== null);
  deps.metrics?.count('ArticlesNormalized', forwarded.length);
  log.info('Normalized', { articles: forwarded.length, rejected: refs.length - forwarded.length });
  return forwarded;
}

/** Normalize one uploaded object; returns the references to send to dedupe. */
export async function normalizeObject(
  object: S3ObjectRef,
  deps: StepDeps,
  normalize: Normalizer,
  log: StepLog = deps.logger,
): Promise<ArticleRef[]> {
  const { key } = object;
  if (!key.startsWith(BUCKET_PREFIXES.incoming)) {
    // Only uploads are inputs; anything else means the notification filter is wrong, and
    // processing our own output would loop.
    log.warn('Ignoring an object outside incoming/', { key });
    return [];
  }
  const fail = failureRecorder(deps, key, object.sequencer);
  const settings = settingsOf(deps);
  // A batch file may be far larger than one document; each of its records is capped on its own.
  const maxBytes = sizeCapFor(key, settings);
  const raw = await readRaw(deps, key, object.etag, { maxBytes }, fail, log);
  if (raw === null) return [];

  const input = rawInputOf(key, raw, object);
  // Without a queue of its own the step cannot hand chunks on, so it does the whole file.
  const chunkRecords = deps.self ? chunkRecordsOf(deps) : undefined;
  const result = await normalize(input, settings, chunkRecords);
  if (result.tag === 'chunks') {
    await fanOut(result, { ...object, etag: input.etag }, deps, fail, log);
    return [];
  }
  if (result.tag !== 'items') {
    log.info('File rejected', { code: result.code, reason: result.reason });
    await fail(0, result.code, result.reason);
    return [];
  }
  return forwardItems(result.items, deps, fail, log);
}

/**
 * Send one chunk message per line range to the step's own queue, and record the lines the split
 * itself rejected (past the batch cap). Sending again (a retried event) sends the same chunks;
 * their articles have the same keys, so a chunk processed twice changes nothing.
 */
async function fanOut(
  split: BatchSplit,
  object: S3ObjectRef,
  deps: StepDeps,
  fail: Fail,
  log: StepLog,
): Promise<void> {
  for (const item of split.rejected) {
    if (item.tag !== 'article') await fail(item.line, item.code, item.reason);
  }
  const messages = chunkMessages(object, split, split.chunks);
  await deps.self?.send(messages.map((m) => ({ body: JSON.stringify(m) })));
  log.info('Batch split into chunks', {
    chunks: messages.length,
    records: split.chunks.reduce((n, c) => n + c.records, 0),
    rangedReads: split.chunks[0]?.bytes !== null,
  });
}

/**
 * Normalize one chunk of a batch file: read its bytes (or the whole object when it cannot be
 * read in parts), normalize its lines as numbered in the file, record the rejected ones and
 * return the references to send to dedupe.
 */
export async function normalizeChunk(
  chunk: BatchChunkMessage,
  deps: StepDeps,
  log: StepLog = deps.logger,
): Promise<ArticleRef[]> {
  const key = chunk.rawKey;
  if (!key.startsWith(BUCKET_PREFIXES.incoming)) {
    log.warn('Ignoring a chunk of an object outside incoming/', { key });
    return [];
  }
  const fail = failureRecorder(deps, key, chunk.sequencer);
  const settings = settingsOf(deps);
  const range = chunk.bytes ?? undefined;
  const raw = await readRaw(
    deps,
    key,
    chunk.etag,
    { maxBytes: sizeCapFor(key, settings), ...(range ? { range } : {}) },
    fail,
    log,
  );
  if (raw === null) return [];
  const input = rawInputOf(key, raw, chunk);
  const window = {
    bodyFirstLine: range ? chunk.fromLine : 1,
    fromLine: chunk.fromLine,
    toLine: chunk.toLine,
    charset: chunk.charset,
  };
  const result = deps.domain
    ? await deps.domain.normalizeChunk(input, settings, window)
    : normalizeBatchChunk(input, settings, window);
  if (result.tag !== 'items') {
    // The file passed these checks as a whole, so its part failing them is a fault to retry.
    throw new DependencyError(`${describeChunk(chunk)} read back unlike its file: ${result.reason}`);
  }
  return forwardItems(result.items, deps, fail, log);
}
