import { describe, expect, it } from 'vitest';
import { articleIdFor, contentHashOf, normalizeUrl } from '#shared/domain/ids.ts';

describe('normalizeUrl', () => {
  it('lower-cases scheme and host, drops the fragment and tracking parameters, keeps the rest in order', () => {
    // Act
    const url = normalizeUrl(
      'HTTPS://News.Example.COM:443/World/Story-1?b=2&utm_source=x&a=1&fbclid=abc&gclid=z#comments',
    );

    // Assess
    expect(url).toBe('https://news.example.com/World/Story-1?b=2&a=1');
  });

  it('returns null for what is not an absolute http(s) URL', () => {
    expect(normalizeUrl('/relative/path')).toBeNull();
    expect(normalizeUrl('mailto:desk@example.com')).toBeNull();
  });
});

describe('contentHashOf', () => {
  it('is equal for texts that differ only in case, spacing and Unicode composition', () => {
    expect(contentHashOf('Café  opens\n\nToday')).toBe(contentHashOf('cafe\u0301 opens today'));
    expect(contentHashOf('Café opens today')).not.toBe(contentHashOf('Café opens tomorrow'));
  });
});

describe('articleIdFor', () => {
  it('derives the id from the canonical URL when known, whatever the raw key', () => {
    const a = articleIdFor({
      canonicalUrl: 'https://example.com/a?utm_medium=rss',
      rawKey: 'incoming/x/1.html',
      line: 0,
    });
    const b = articleIdFor({ canonicalUrl: 'https://EXAMPLE.com/a', rawKey: 'incoming/y/2.html', line: 3 });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });

  it('falls back to raw key and line, distinct per line', () => {
    const line1 = articleIdFor({ canonicalUrl: null, rawKey: 'incoming/x/batch.jsonl', line: 1 });
    const line2 = articleIdFor({ canonicalUrl: null, rawKey: 'incoming/x/batch.jsonl', line: 2 });
    expect(line1).not.toBe(line2);
    expect(articleIdFor({ canonicalUrl: null, rawKey: 'incoming/x/batch.jsonl', line: 1 })).toBe(line1);
  });
});
