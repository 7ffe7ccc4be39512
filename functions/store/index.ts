/** Lambda entry for store: dependencies from the environment, built once at cold start. */
import { createAwsDeps } from '#shared/adapters/aws/deps.ts';
import { createStoreHandler } from './handler.ts';

export const handler = createStoreHandler(createAwsDeps('store'));
