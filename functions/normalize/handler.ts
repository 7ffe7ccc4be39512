/** normalize: S3 event notifications in; one ArticleRef per article out to dedupe. */
import { normalizeDocument } from '#shared/domain/normalize/index.ts';
import type { StepDeps } from '#shared/runtime.ts';
import { parseS3Notification } from '#shared/s3-events.ts';
import { type Normalizer, normalizeObject } from '#shared/steps/normalize.ts';
import { createSqsBatchHandler, type SqsBatchHandler } from '#shared/steps/sqs-batch-handler.ts';

/** The normalize handler over `deps` (`normalize` replaceable for tests of the step's I/O). */
export function createNormalizeHandler(
  deps: StepDeps,
  normalize: Normalizer = normalizeDocument,
): SqsBatchHandler {
  return createSqsBatchHandler(deps, async (record, log) => {
    for (const object of parseS3Notification(record.body)) {
      const objectLog = log.createChild();
      objectLog.appendKeys({ rawKey: object.key });
      const refs = await normalizeObject(object, deps, normalize, objectLog);
      await deps.next?.send(refs.map((ref) => ({ body: JSON.stringify(ref) })));
    }
  });
}
