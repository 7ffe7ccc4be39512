/** Lambda entry for dedupe: dependencies from the environment, built once at cold start. */
import { createAwsDeps } from '#shared/adapters/aws/deps.ts';
import { createDedupeHandler } from './handler.ts';

export const handler = createDedupeHandler(createAwsDeps('dedupe'));
