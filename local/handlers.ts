/**
 * The handler factories the local runner drives: exactly the ones the Lambda entries
 * (`functions/<step>/index.ts`) build, so local runs exercise the deployed code.
 */
import { createDedupeHandler } from '#functions/dedupe/handler.ts';
import { createNormalizeHandler } from '#functions/normalize/handler.ts';
import { createStoreHandler } from '#functions/store/handler.ts';
import { createTagHandler } from '#functions/tag/handler.ts';
import type { StepName } from '#shared/pipeline.ts';
import type { HandlerFactory } from './runner.ts';

/** One factory per step of the pipeline. */
export const HANDLERS: Readonly<Record<StepName, HandlerFactory>> = {
  normalize: (deps) => createNormalizeHandler(deps),
  dedupe: (deps) => createDedupeHandler(deps),
  tag: (deps) => createTagHandler(deps),
  store: (deps) => createStoreHandler(deps),
};
