/**
 * Failure records for dead-lettered messages: what the local runner writes when a message
 * exhausts its receives, and what a DLQ consumer on AWS would write. Each carries the message
 * itself (`replayMessage`) so `newsflow replay` can send it to the step's queue again.
 */
import { BatchChunkMessageSchema, describeChunk, isChunkMessage } from '../domain/chunk-message.ts';
import { ArticleRefSchema } from '../domain/messages.ts';
import type { StepName } from '../pipeline.ts';
import type { IngestionRecord } from '../ports/index.ts';
import { parseS3Notification } from '../s3-events.ts';

/** Records for a message of `step` that was dead-lettered because of `reason`. */
export function deadLetterRecords(
  step: StepName,
  body: string,
  reason: string,
  at: string,
): IngestionRecord[] {
  const base = { articleId: null, outcome: 'failed' as const, step, at, replayMessage: body };
  const why = `dead-lettered in ${step}: ${reason}`;
  // Still a record, quoting the message, so nothing dead-lettered goes unseen.
  const unreadable = (): IngestionRecord[] => [
    {
      ...base,
      rawKey: '(unreadable message)',
      line: 0,
      sequencer: null,
      reason: `${why}; body: ${body.slice(0, 200)}`,
    },
  ];
  if (step === 'normalize' && isChunkMessage(body)) {
    const chunk = BatchChunkMessageSchema.safeParse(JSON.parse(body));
    if (!chunk.success) return unreadable();
    // One record, on the chunk's first line, naming the whole range: none of its lines reached
    // dedupe through this message (lines it had rejected keep their own records).
    return [
      {
        ...base,
        rawKey: chunk.data.rawKey,
        line: chunk.data.fromLine,
        sequencer: chunk.data.sequencer,
        reason: `${describeChunk(chunk.data)} (${chunk.data.records} records) ${why}`,
      },
    ];
  }
  if (step === 'normalize') {
    try {
      return parseS3Notification(body).map((o) => ({
        ...base,
        rawKey: o.key,
        line: 0,
        sequencer: o.sequencer,
        reason: why,
      }));
    } catch {
      return unreadable();
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = null;
  }
  const parsed = ArticleRefSchema.safeParse(json);
  if (!parsed.success) {
    return unreadable();
  }
  const { provenance, articleId } = parsed.data;
  return [
    {
      ...base,
      articleId,
      rawKey: provenance.rawKey,
      line: provenance.line,
      sequencer: provenance.sequencer,
      reason: why,
    },
  ];
}
