import { describe, expect, it } from 'vitest';
import { createAwsDeps } from '#shared/adapters/aws/deps.ts';
import { ConfigError } from '#shared/errors.ts';

const env = {
  BUCKET_NAME: 'newsflow-dev-raw',
  INGESTIONS_TABLE: 'newsflow-dev-Ingestions',
  NEXT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/newsflow-dev-dedupe',
  OWN_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/newsflow-dev-normalize',
  AWS_REGION: 'us-east-1',
};

describe('createAwsDeps', () => {
  it('needs only the settings of the resources the step is granted', () => {
    // normalize is granted the bucket, Ingestions, its next queue and its own, not Articles.
    const deps = createAwsDeps('normalize', env);
    expect(deps.next).not.toBeNull();
    expect(deps.self).not.toBeNull();
    expect(deps.settings).toEqual({
      duplicatePolicy: 'link',
      maxDocumentBytes: 20 * 1024 * 1024,
      pipelineVersion: '0.1.0',
      batchChunkRecords: 500,
    });
  });

  it('fails at cold start naming a missing setting', () => {
    expect(() => createAwsDeps('store', env)).toThrow(ConfigError);
    expect(() => createAwsDeps('store', env)).toThrow(/ARTICLES_TABLE/);
  });

  it('makes a port the step was not granted fail loudly when used', () => {
    const deps = createAwsDeps('normalize', env);
    expect(() => deps.articles.get('x')).toThrow(/normalize has no access to the Articles table/);
  });

  it('gives the last step no next queue', () => {
    const deps = createAwsDeps('store', {
      ...env,
      ARTICLES_TABLE: 'newsflow-dev-Articles',
      NEXT_QUEUE_URL: undefined,
    });
    expect(deps.next).toBeNull();
  });
});
