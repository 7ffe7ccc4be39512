/**
 * Recovery of batch files cut short: the local runner's queues live in memory, so a process
 * stopped while a batch file's chunks were queued loses them, and the file already has records
 * for its finished lines (so "no record at all" does not flag it). The chunks whose lines are
 * not all recorded are found again by splitting the file as normalize did and counting records.
 */
import { type BatchChunkMessage, chunkMessages, isChunkMessage } from '../domain/chunk-message.ts';
import { planBatchChunks, sizeCapFor } from '../domain/normalize/index.ts';
import { compareSequencers } from '../domain/sequencer.ts';
import { NotFoundError, TooLargeError } from '../errors.ts';
import type { BlobObject, IngestionRecord } from '../ports/index.ts';
import type { StepDeps } from '../runtime.ts';
import { chunkRecordsOf, rawInputOf, settingsOf } from './normalize.ts';

/**
 * The chunk messages of batch file `key` that still have lines without a record of its latest
 * upload, given every record of `key`. A chunk that was dead-lettered is left to `replay`. Empty
 * when the file is gone, is not a batch, or is complete.
 */
export async function unfinishedChunks(
  key: string,
  records: readonly IngestionRecord[],
  deps: Pick<StepDeps, 'blobs' | 'settings'>,
  eventTime: string,
): Promise<BatchChunkMessage[]> {
  const latest = records.reduce<IngestionRecord | null>(
    (a, r) => (a === null || compareSequencers(r.sequencer, a.sequencer) > 0 ? r : a),
    null,
  );
  if (latest === null) return [];
  const ofLatest = records.filter((r) => r.sequencer === latest.sequencer);
  const recorded = new Set(ofLatest.map((r) => r.line));
  const deadLettered = new Set(
    ofLatest.filter((r) => r.replayMessage && isChunkMessage(r.replayMessage)).map((r) => r.line),
  );

  const settings = settingsOf(deps);
  let raw: BlobObject;
  try {
    raw = await deps.blobs.get(key, { maxBytes: sizeCapFor(key, settings) });
  } catch (error) {
    // Gone or too large: the records already say so, nothing to resume.
    if (error instanceof NotFoundError || error instanceof TooLargeError) return [];
    throw error;
  }
  const split = planBatchChunks(
    rawInputOf(key, raw, { etag: null, sequencer: latest.sequencer, eventTime }),
    settings,
    chunkRecordsOf(deps),
  );
  if (split === null) return [];
  const missing = split.chunks.filter((chunk) => {
    if (deadLettered.has(chunk.fromLine)) return false;
    let lines = 0;
    for (let line = chunk.fromLine; line <= chunk.toLine; line++) if (recorded.has(line)) lines++;
    return lines < chunk.records;
  });
  return chunkMessages({ key, etag: raw.etag, sequencer: latest.sequencer, eventTime }, split, missing);
}
