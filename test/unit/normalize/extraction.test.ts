import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedFor, goldenCases, goldenView, normalizeCase } from '../../support/golden.ts';

const root = join(import.meta.dirname, '..', '..', 'fixtures', 'extraction');
const byName = (name: string) => normalizeCase(goldenCases(root).find((c) => c.name === name)!);

describe('HTML extraction golden cases (UPDATE=1 regenerates)', () => {
  for (const c of goldenCases(root)) {
    it(c.name, () => {
      // Act
      const actual = goldenView(normalizeCase(c));

      // Assess
      expect(actual).toEqual(expectedFor(c, actual));
    });
  }
});

describe('what each class of boilerplate leaves behind', () => {
  it('drops cookie banners, navigation, share bars, newsletter boxes and footers', () => {
    const article = byName('boilerplate-nav-cookie-share-newsletter');
    expect(article.text).toMatch(/^The city council voted on Tuesday/);
    expect(article.text).toMatch(/the mayor said after the vote\.$/);
    expect(article.text).not.toMatch(/cookies|Facebook|newsletter|All rights reserved|Home/);
    expect(article.title).toBe('City council approves new cycle lanes');
    expect(article.canonicalUrl).toBe('https://gazette.example.com/local/cycle-lanes');
  });

  it('drops "related" teaser lists, comments and most-read boxes but keeps the lead', () => {
    const article = byName('related-teasers-and-comments');
    expect(article.text).toMatch(/^Nach tagelangem Dauerregen/);
    expect(article.text).not.toMatch(
      /Mehr zum Thema|Deiche in Niedersachsen:|Kommentare|Helfer vor Ort|Bahnstreik/,
    );
    expect(article.byline).toEqual(['Jonas Weber']);
    expect(article.publishedAt).toBe('2024-01-08T05:30:00.000Z');
    expect(article.language).toBe('de');
  });

  it('moves captions and credits out of the body into image metadata', () => {
    const article = byName('caption-credit-figure');
    expect(article.text).not.toMatch(/piège photographique près|OFB\)|zone de présence/);
    expect(article.image).toEqual({
      url: 'https://media.example.fr/lynx.jpg',
      caption: 'Un lynx photographié par un piège photographique près de Saint-Claude.',
      credit: 'Office français de la biodiversité',
    });
    expect(article.byline).toEqual(['Claire Martin']);
    expect(article.sectionLabels).toContain('Environnement');
  });

  it('keeps lists, tables and quotes that belong to the article', () => {
    const article = byName('list-table-quote-article');
    expect(article.text).toContain('Potatoes: in paper sacks, away from onions.');
    expect(article.text).toContain('4–7 °C');
    expect(article.text).toContain('The biggest mistake is washing vegetables');
    expect(article.text).not.toContain('Fruit');
  });

  it('decodes a page declared UTF-8 but written in windows-1252', () => {
    const article = byName('windows-1252-declared-utf8');
    expect(article.charset).toBe('windows-1252');
    expect(article.title).toBe('“Café society” returns to the boulevard');
    expect(article.text).toContain('the “café society” of the 1990s is back — at least');
    expect(article.text).toContain('city’s decision');
  });

  it('reads JSON-LD graphs: headline without its kicker, authors, sections, UTC dates', () => {
    const article = byName('jsonld-metadata-kicker-headline');
    expect(article.title).toBe('Cataluña declara la emergencia hídrica');
    expect(article.byline).toEqual(['Marta Puig']);
    expect(article.publishedAt).toBe('2024-02-01T23:30:00.000Z');
    expect(article.modifiedAt).toBe('2024-02-02T08:00:00.000Z');
    expect(article.hints.jsonLdSections).toEqual(['Sociedad', 'Medio ambiente']);
    expect(article.hints.breadcrumbs).toEqual(['Sociedad']);
    expect(article.hints.keywords).toEqual(['sequía', 'agua', 'Cataluña']);
    expect(article.siteName).toBe('Diario del Mediterráneo');
  });
});
