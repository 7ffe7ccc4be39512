import { describe, expect, it } from 'vitest';
import { ConfigError } from '#shared/errors.ts';
import { names } from '#shared/names.ts';

describe('names', () => {
  it('derives every resource name from the stage', () => {
    const n = names('local');
    expect(n).toEqual({
      prefix: 'newsflow-local',
      bucket: 'newsflow-local-raw',
      articlesTable: 'newsflow-local-Articles',
      fingerprintsTable: 'newsflow-local-Fingerprints',
      ingestionsTable: 'newsflow-local-Ingestions',
    });
  });

  it('rejects a stage that cannot be part of a bucket name', () => {
    expect(() => names('My Stage')).toThrow(ConfigError);
  });
});
