/** store: Tagged in; the article item upserted and the ingestion recorded (the last step). */
import { TaggedSchema } from '#shared/domain/messages.ts';
import type { IngestionOutcome } from '#shared/domain/outcomes.ts';
import type { MetricName } from '#shared/metrics.ts';
import type { StepDeps } from '#shared/runtime.ts';
import {
  createSqsBatchHandler,
  parseMessage,
  type SqsBatchHandler,
} from '#shared/steps/sqs-batch-handler.ts';
import { storeArticle } from '#shared/steps/store.ts';

/**
 * The count each store outcome adds to. A linked duplicate is a new item, so it is stored; the
 * dedupe step's DuplicatesFound already counts it as a duplicate.
 */
const STORED_METRIC: Readonly<Record<IngestionOutcome, MetricName | null>> = {
  stored: 'ArticlesStored',
  duplicate: 'ArticlesStored',
  version: 'VersionsStored',
  unchanged: 'ArticlesUnchanged',
  failed: null,
};

/** The store handler over `deps`. */
export function createStoreHandler(deps: StepDeps): SqsBatchHandler {
  return createSqsBatchHandler(deps, async (record, log) => {
    const message = parseMessage(TaggedSchema, record.body);
    log.appendKeys({ articleId: message.articleId, rawKey: message.provenance.rawKey });
    const { outcome } = await storeArticle(message, deps, log);
    const metric = STORED_METRIC[outcome];
    if (metric) deps.metrics?.count(metric, 1);
  });
}
