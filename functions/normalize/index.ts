/** Lambda entry for normalize: dependencies from the environment, built once at cold start. */
import { createAwsDeps } from '#shared/adapters/aws/deps.ts';
import { createNormalizeHandler } from './handler.ts';

export const handler = createNormalizeHandler(createAwsDeps('normalize'));
