/**
 * The normalize step over ports: one uploaded object in, claim checks written and article
 * references out; every rejected file or batch line recorded as a failure naming it. Re-running
 * it on the same event writes the same keys and returns the same references.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { ArticleRef } from '../domain/messages.ts';
import {
  DEFAULT_NORMALIZE_SETTINGS,
  type NormalizeResult,
  type NormalizeSettings,
  type RawInput,
  sizeCapFor,
} from '../domain/normalize/types.ts';
import { NotFoundError, TooLargeError } from '../errors.ts';
import { mapLimit } from '../map-limit.ts';
import type { RejectReason } from '../metrics.ts';
import { BUCKET_PREFIXES } from '../pipeline.ts';
import type { StepDeps } from '../runtime.ts';
import type { S3ObjectRef } from '../s3-events.ts';
import { handOff } from './claim-check.ts';

/** The normalize domain function (shared/domain/normalize), injected so the step stays testable. */
export type Normalizer = (input: RawInput, settings: NormalizeSettings) => NormalizeResult;

/** S3 writes in flight at once while fanning out a batch file. */
const WRITE_CONCURRENCY = 16;

/** Where a failure happened, for a reason a person can act on: the file, and the line of a batch. */
export const describeInput = (rawKey: string, line: number): string =>
  line > 0 ? `${rawKey} line ${line}` : rawKey;

/** Normalize one uploaded object; returns the references to send to dedupe. */
export async function normalizeObject(
  object: S3ObjectRef,
  deps: StepDeps,
  normalize: Normalizer,
  log: Logger = deps.logger,
): Promise<ArticleRef[]> {
  const { key } = object;
  if (!key.startsWith(BUCKET_PREFIXES.incoming)) {
    // Only uploads are inputs; anything else means the notification filter is wrong, and
    // processing our own output would loop.
    log.warn('Ignoring an object outside incoming/', { key });
    return [];
  }
  const fail = (line: number, code: RejectReason, reason: string) => {
    deps.metrics?.count('RecordsRejected', 1, { reason: code });
    return deps.ingestions.record({
      rawKey: key,
      line,
      articleId: null,
      outcome: 'failed',
      reason: `${describeInput(key, line)}: ${reason}`,
      step: 'normalize',
      at: deps.now().toISOString(),
      sequencer: object.sequencer,
    });
  };

  const settings = { ...DEFAULT_NORMALIZE_SETTINGS, maxDocumentBytes: deps.settings.maxDocumentBytes };
  // A batch file may be far larger than one document; each of its records is capped on its own.
  const maxBytes = sizeCapFor(key, settings);
  let raw: Awaited<ReturnType<StepDeps['blobs']['get']>>;
  try {
    raw = await deps.blobs.get(key, { maxBytes });
  } catch (error) {
    if (error instanceof TooLargeError) {
      await fail(0, 'too-large', `the file is larger than the ${maxBytes}-byte limit`);
      return [];
    }
    if (error instanceof NotFoundError) {
      // Deleted before we got to it: nothing to process, and nothing a retry can fix.
      await fail(0, 'deleted-before-read', 'the object was deleted before it could be read');
      return [];
    }
    throw error;
  }

  if (object.etag !== null && raw.etag !== null && object.etag !== raw.etag) {
    // The key was overwritten after this event: what we read is a newer upload, whose own
    // event (a later sequencer) processes it. Processing it here would file the newer content
    // under this event's older sequencer.
    log.info('Superseded by a newer upload of the same key', { eventEtag: object.etag, etag: raw.etag });
    return [];
  }

  const input: RawInput = {
    key,
    body: raw.body,
    etag: raw.etag ?? object.etag,
    sequencer: object.sequencer,
    contentType: raw.contentType,
    metadata: raw.metadata,
    // The event's time, not ours: a re-run of the same event yields identical claim checks.
    ingestedAt: object.eventTime,
  };
  const result = normalize(input, settings);
  if (result.tag !== 'items') {
    log.info('File rejected', { code: result.code, reason: result.reason });
    await fail(0, result.code, result.reason);
    return [];
  }

  const refs = await mapLimit(result.items, WRITE_CONCURRENCY, async (item): Promise<ArticleRef | null> => {
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
