import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedFor, goldenCases, goldenView, normalizeCase } from '../../support/golden.ts';

const root = join(import.meta.dirname, '..', '..', 'fixtures', 'scraped-text');

describe('scraped text golden cases (UPDATE=1 regenerates)', () => {
  for (const c of goldenCases(root)) {
    it(c.name, () => {
      // Act
      const actual = goldenView(normalizeCase(c));

      // Assess
      expect(actual).toEqual(expectedFor(c, actual));
    });
  }
});

describe('the DeepSeek sample from issue 2', () => {
  const c = goldenCases(root).find((g) => g.name === 'en-deepseek-repeated-bengali-teaser')!;

  it('comes out as the one article the issue describes', () => {
    // Act
    const article = normalizeCase(c);
    const paragraphs = article.text.split('\n\n');

    // Assess
    expect(article.title).toBe('DeepSeek offers no new answers to China’s AI bind');
    expect(article.sectionLabels).toEqual(['Global Economy']);
    expect(article.hints.sectionLine).toBe('Global Economy');
    expect(article.image).toMatchObject({
      caption: 'Deepseek and ChatGPT app icons are seen in this illustration taken on January 27.',
      credit: 'REUTERS',
    });
    expect(paragraphs).toHaveLength(8);
    expect(paragraphs[0]).toMatch(/^DeepSeek has triggered a dramatic rethink/);
    expect(paragraphs[7]).toMatch(/official WeChat account\.$/);
    expect(new Set(paragraphs).size).toBe(8);
    expect(article.text).not.toMatch(/Comments|Photo: REUTERS|\p{Script=Bengali}/u);
    expect(article.text).not.toMatch(/ {2}|\u00a0/);
    expect(article.language).toBe('en');
  });
});
