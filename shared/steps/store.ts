/**
 * The store step over ports: build the item from the claim check and the message, put a body too
 * large for an item in S3, upsert (idempotent, versioned) and record what became of the input.
 */
import type { ArticleItem } from '../domain/item.ts';
import type { Tagged } from '../domain/messages.ts';
import type { IngestionOutcome } from '../domain/outcomes.ts';
import { bodyKey, buildArticleItem, fitsInline } from '../domain/store/build-item.ts';
import { ingestionOutcome } from '../domain/store/upsert.ts';
import type { UpsertResult } from '../ports/index.ts';
import type { StepDeps } from '../runtime.ts';
import { loadArticle } from './claim-check.ts';
import type { StepLog } from './record-log.ts';

export interface StoreOutcome {
  readonly outcome: IngestionOutcome;
  readonly version: number;
  readonly item: ArticleItem;
}

const reasonFor = (outcome: IngestionOutcome, item: ArticleItem, result: UpsertResult): string | null => {
  switch (outcome) {
    case 'duplicate':
      return `${item.duplicateKind ?? 'exact'} duplicate of ${item.duplicateOf} (cluster ${item.clusterId})`;
    case 'version':
      return `new text for an article already stored: version ${result.version}`;
    case 'unchanged':
      return `already stored with this text (version ${result.version})`;
    default:
      return null;
  }
};

/** Store the article `message` points at. */
export async function storeArticle(
  message: Tagged,
  deps: StepDeps,
  log: StepLog = deps.logger,
): Promise<StoreOutcome> {
  const article = await loadArticle(deps.blobs, message);
  const textKey = fitsInline(article.text) ? null : bodyKey(message.articleId, message.contentHash);
  if (textKey !== null) {
    // Written before the item, so an item never points at a body that is not there.
    await deps.blobs.put(textKey, article.text, { contentType: 'text/plain; charset=utf-8' });
  }
  const now = deps.now().toISOString();
  const item = buildArticleItem(article, message, {
    now,
    pipelineVersion: deps.settings.pipelineVersion,
    textKey,
  });
  const result = await deps.articles.upsert(item);
  const outcome = ingestionOutcome(result, item);
  await deps.ingestions.record({
    rawKey: item.rawKey,
    line: item.line,
    articleId: item.id,
    outcome,
    reason: reasonFor(outcome, item, result),
    step: 'store',
    at: now,
    sequencer: item.sequencer,
  });
  log.info('Stored', { outcome, version: result.version, section: item.section, clusterId: item.clusterId });
  return { outcome, version: result.version, item };
}
