/** dedupe: ArticleRef in; Deduped out to tag (or, under policy `drop`, recorded and stopped). */
import { ArticleRefSchema } from '#shared/domain/messages.ts';
import type { StepDeps } from '#shared/runtime.ts';
import { type DedupeStage, dedupeArticle } from '#shared/steps/dedupe.ts';
import { nearDuplicateStage } from '#shared/steps/near-cluster.ts';
import {
  createSqsBatchHandler,
  parseMessage,
  type SqsBatchHandler,
} from '#shared/steps/sqs-batch-handler.ts';

/** The dedupe handler over `deps`; `stages` run after the exact check (by default near-duplicates). */
export function createDedupeHandler(
  deps: StepDeps,
  stages: readonly DedupeStage[] = [nearDuplicateStage()],
): SqsBatchHandler {
  return createSqsBatchHandler(deps, async (record, log) => {
    const ref = parseMessage(ArticleRefSchema, record.body);
    log.appendKeys({ articleId: ref.articleId, rawKey: ref.provenance.rawKey });
    const outcome = await dedupeArticle(ref, deps, stages, log);
    const verdict = outcome.tag === 'forward' ? outcome.message : outcome.verdict;
    if (verdict.duplicateOf !== null) {
      deps.metrics?.count('DuplicatesFound', 1, { kind: verdict.duplicateKind ?? 'exact' });
    }
    if (outcome.tag === 'forward') await deps.next?.send([{ body: JSON.stringify(outcome.message) }]);
  });
}
