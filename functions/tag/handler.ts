/** tag: Deduped in; Tagged (primary section, scored candidates) out to store. */
import { DedupedSchema } from '#shared/domain/messages.ts';
import { tagArticle } from '#shared/domain/tag/index.ts';
import type { StepDeps } from '#shared/runtime.ts';
import {
  createSqsBatchHandler,
  parseMessage,
  type SqsBatchHandler,
} from '#shared/steps/sqs-batch-handler.ts';
import { type Tagger, tagMessage } from '#shared/steps/tag.ts';

/** The tag handler over `deps` (by default the domain's tagger, run where `deps.domain` says). */
export function createTagHandler(
  deps: StepDeps,
  tag: Tagger = deps.domain?.tag.bind(deps.domain) ?? ((article) => tagArticle(article)),
): SqsBatchHandler {
  return createSqsBatchHandler(deps, async (record, log) => {
    const message = parseMessage(DedupedSchema, record.body);
    log.appendKeys({ articleId: message.articleId, rawKey: message.provenance.rawKey });
    const tagged = await tagMessage(message, deps, tag);
    log.info('Tagged', { section: tagged.section });
    deps.metrics?.count('ArticlesTagged', 1);
    await deps.next?.send([{ body: JSON.stringify(tagged) }]);
  });
}
