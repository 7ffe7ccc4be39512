/** The real handler factories, one per step, as Lambda and the local runner use them. */
import { createDedupeHandler } from '#functions/dedupe/handler.ts';
import { createNormalizeHandler } from '#functions/normalize/handler.ts';
import { createStoreHandler } from '#functions/store/handler.ts';
import { createTagHandler } from '#functions/tag/handler.ts';
import type { HandlerFactory } from '#local/runner.ts';
import type { StepName } from '#shared/pipeline.ts';

export const REAL_HANDLERS: Readonly<Record<StepName, HandlerFactory>> = {
  normalize: (deps) => createNormalizeHandler(deps),
  dedupe: (deps) => createDedupeHandler(deps),
  tag: (deps) => createTagHandler(deps),
  store: (deps) => createStoreHandler(deps),
};
