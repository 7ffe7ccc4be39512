/**
 * normalize: S3 event notifications (and chunks of large batch files, sent by normalize itself)
 * in; one ArticleRef per article out to dedupe.
 */
import { BatchChunkMessageSchema, isChunkMessage } from '#shared/domain/chunk-message.ts';
import { normalizeOrSplit } from '#shared/domain/normalize/index.ts';
import type { StepDeps } from '#shared/runtime.ts';
import { parseS3Notification } from '#shared/s3-events.ts';
import { type Normalizer, normalizeChunk, normalizeObject } from '#shared/steps/normalize.ts';
import {
  createSqsBatchHandler,
  parseMessage,
  type SqsBatchHandler,
} from '#shared/steps/sqs-batch-handler.ts';

/**
 * The normalize handler over `deps` (`normalize` replaceable for tests of the step's I/O; by
 * default the domain's, run where `deps.domain` says).
 */
export function createNormalizeHandler(
  deps: StepDeps,
  normalize: Normalizer = deps.domain?.normalize.bind(deps.domain) ?? normalizeOrSplit,
): SqsBatchHandler {
  return createSqsBatchHandler(deps, async (record, log) => {
    if (isChunkMessage(record.body)) {
      const chunk = parseMessage(BatchChunkMessageSchema, record.body);
      const chunkLog = log.createChild();
      chunkLog.appendKeys({ rawKey: chunk.rawKey, fromLine: chunk.fromLine, toLine: chunk.toLine });
      const refs = await normalizeChunk(chunk, deps, chunkLog);
      await deps.next?.send(refs.map((ref) => ({ body: JSON.stringify(ref) })));
      return;
    }
    for (const object of parseS3Notification(record.body)) {
      const objectLog = log.createChild();
      objectLog.appendKeys({ rawKey: object.key });
      const refs = await normalizeObject(object, deps, normalize, objectLog);
      await deps.next?.send(refs.map((ref) => ({ body: JSON.stringify(ref) })));
    }
  });
}
