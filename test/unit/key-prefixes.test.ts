import { describe, expect, it } from 'vitest';
import { articleIdFor, contentHashOf } from '#shared/domain/ids.ts';
import { bodyKey } from '#shared/domain/store/build-item.ts';
import { BUCKET_PREFIXES } from '#shared/pipeline.ts';
import { claimCheckKey } from '#shared/steps/claim-check.ts';

// Security: the keys the pipeline writes (claim checks, large bodies) cannot escape their
// prefix, whatever the input says: ids and hashes are hex digests of the input, never the input.

const hostile = [
  { canonicalUrl: 'https://example.com/../../etc/passwd', rawKey: 'incoming/x/a.html', line: 0 },
  { canonicalUrl: null, rawKey: 'incoming/../../../../escape.html', line: 0 },
  { canonicalUrl: null, rawKey: 'incoming/x/%2e%2e/%2E%2E/y.jsonl', line: 7 },
  { canonicalUrl: 'javascript:alert(1)//', rawKey: 'incoming/x/b.html', line: 0 },
  { canonicalUrl: null, rawKey: `incoming/x/${'a/'.repeat(500)}z.html`, line: 0 },
  { canonicalUrl: 'https://例え.jp/ニュース/記事?id=1&utm_source=x', rawKey: 'incoming/x/c.html', line: 0 },
];

describe('pipeline-written keys', () => {
  it('derive article ids as 32 hex characters from any input', () => {
    for (const input of hostile) expect(articleIdFor(input), JSON.stringify(input)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keep claim checks under normalized/ and bodies under bodies/, with no path tricks', () => {
    for (const input of hostile) {
      const id = articleIdFor(input);
      const hash = contentHashOf(`text of ${input.rawKey}`);
      const claim = claimCheckKey(id, hash);
      const body = bodyKey(id, hash);
      expect(claim).toMatch(new RegExp(`^${BUCKET_PREFIXES.normalized}[0-9a-f]{32}/[0-9a-f]{64}\\.json$`));
      expect(body).toMatch(new RegExp(`^${BUCKET_PREFIXES.bodies}[0-9a-f]{32}/[0-9a-f]{64}\\.txt$`));
    }
  });
});
