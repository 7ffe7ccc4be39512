import { describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/config.ts';
import { ConfigError } from '#shared/errors.ts';

describe('loadConfig', () => {
  it('returns the named settings with defaults applied', () => {
    const config = loadConfig(['BUCKET_NAME', 'DUPLICATE_POLICY'], { BUCKET_NAME: 'raw' });
    expect(config).toEqual({ BUCKET_NAME: 'raw', DUPLICATE_POLICY: 'link' });
  });

  it('fails naming the variable and the bad value', () => {
    expect(() => loadConfig(['DUPLICATE_POLICY'], { DUPLICATE_POLICY: 'keep' })).toThrow(ConfigError);
    expect(() => loadConfig(['DUPLICATE_POLICY'], { DUPLICATE_POLICY: 'keep' })).toThrow(
      /DUPLICATE_POLICY.*"keep"/,
    );
  });

  it('fails when a required setting is missing', () => {
    expect(() => loadConfig(['ARTICLES_TABLE'], {})).toThrow(/ARTICLES_TABLE/);
  });
});
