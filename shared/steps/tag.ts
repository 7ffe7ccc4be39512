/** The tag step over ports: read the claim check, decide the sections, pass the decision on. */
import type { NormalizedArticle } from '../domain/article.ts';
import type { Deduped, Tagged } from '../domain/messages.ts';
import type { TagResult } from '../domain/tag/types.ts';
import type { StepDeps } from '../runtime.ts';
import { loadArticle } from './claim-check.ts';

/** The tag domain function (shared/domain/tag), injected so the step stays testable. */
export type Tagger = (article: NormalizedArticle) => TagResult | Promise<TagResult>;

/** Tag the article `message` points at; returns the message for the store step. */
export async function tagMessage(message: Deduped, deps: StepDeps, tag: Tagger): Promise<Tagged> {
  const article = await loadArticle(deps.blobs, message);
  const result = await tag(article);
  return {
    ...message,
    section: result.section,
    sections: [...result.sections],
    vocabularyVersion: result.vocabularyVersion,
  };
}
