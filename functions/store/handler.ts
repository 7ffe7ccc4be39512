/** store: Tagged in; the article item upserted and the ingestion recorded (the last step). */
import { TaggedSchema } from '#shared/domain/messages.ts';
import type { StepDeps } from '#shared/runtime.ts';
import {
  createSqsBatchHandler,
  parseMessage,
  type SqsBatchHandler,
} from '#shared/steps/sqs-batch-handler.ts';
import { storeArticle } from '#shared/steps/store.ts';

/** The store handler over `deps`. */
export function createStoreHandler(deps: StepDeps): SqsBatchHandler {
  return createSqsBatchHandler(deps, async (record, log) => {
    const message = parseMessage(TaggedSchema, record.body);
    log.appendKeys({ articleId: message.articleId, rawKey: message.provenance.rawKey });
    await storeArticle(message, deps, log);
  });
}
