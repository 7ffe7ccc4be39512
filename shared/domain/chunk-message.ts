/**
 * normalize → normalize: one line range of a large batch file. The invocation that receives a
 * batch file's S3 event splits it and sends one of these per chunk to its own queue, so each
 * chunk is normalized, forwarded, retried and dead-lettered on its own. Everything a chunk needs
 * to name its articles exactly as a whole-file run would is here (the event's etag, sequencer
 * and time), so re-running a chunk yields the same keys and messages.
 */
import * as z from 'zod';
import type { BatchChunk, BatchSplit } from './normalize/index.ts';

export const BatchChunkMessageSchema = z.object({
  kind: z.literal('batch-chunk'),
  /** Decoded key of the batch file (`incoming/…`). */
  rawKey: z.string(),
  /** ETag of the upload the split read; a chunk that finds another one is superseded. */
  etag: z.string().nullable(),
  sequencer: z.string().nullable(),
  /** The S3 event's time: `ingestedAt` of every article, as for a file processed whole. */
  eventTime: z.string(),
  /** First and last line of the chunk, 1-based and inclusive, as numbered in the whole file. */
  fromLine: z.number().int().positive(),
  toLine: z.number().int().positive(),
  /** Records (non-blank lines) in the range, so a reader can tell whether all were recorded. */
  records: z.number().int().nonnegative(),
  /** The range's bytes in the object (`end` exclusive) for a ranged GET; null: read it whole. */
  bytes: z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() }).nullable(),
  /** The charset the whole file was decoded with. */
  charset: z.string(),
});
export type BatchChunkMessage = z.infer<typeof BatchChunkMessageSchema>;

/** `key lines a–b`: how failure reasons and logs name a chunk. */
export const describeChunk = (chunk: Pick<BatchChunkMessage, 'rawKey' | 'fromLine' | 'toLine'>): string =>
  `${chunk.rawKey} lines ${chunk.fromLine}–${chunk.toLine}`;

/** True when `body` is meant as a chunk message (its `kind` says so), valid or not. */
export function isChunkMessage(body: string): boolean {
  // Cheap test first: S3 notifications never carry this kind.
  if (!body.includes('"batch-chunk"')) return false;
  try {
    const json: unknown = JSON.parse(body);
    return typeof json === 'object' && json !== null && 'kind' in json && json.kind === 'batch-chunk';
  } catch {
    return false;
  }
}

/** Which upload a split was of: the key and what the S3 event said about it. */
export interface SplitUpload {
  readonly key: string;
  readonly etag: string | null;
  readonly sequencer: string | null;
  readonly eventTime: string;
}

/** The message for each of `chunks` (of `split`) of `upload`. */
export function chunkMessages(
  upload: SplitUpload,
  split: Pick<BatchSplit, 'charset'>,
  chunks: readonly BatchChunk[],
): BatchChunkMessage[] {
  return chunks.map((chunk) => ({
    kind: 'batch-chunk',
    rawKey: upload.key,
    etag: upload.etag,
    sequencer: upload.sequencer,
    eventTime: upload.eventTime,
    fromLine: chunk.fromLine,
    toLine: chunk.toLine,
    records: chunk.records,
    bytes: chunk.bytes,
    charset: split.charset,
  }));
}
