/** Lambda entry for tag: dependencies from the environment, built once at cold start. */
import { createAwsDeps } from '#shared/adapters/aws/deps.ts';
import { createTagHandler } from './handler.ts';

export const handler = createTagHandler(createAwsDeps('tag'));
