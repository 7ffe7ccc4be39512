import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Hints } from '#shared/domain/article.ts';
import { retagArticle, type TagInput, tagArticle, tagInputFromItem } from '#shared/domain/tag/index.ts';
import { DEFAULT_VOCABULARY } from '#shared/domain/tag/vocabulary.ts';

// A copy of ../shared/samples/scraped-text/000_9d232cb06c14f531.txt
const SCRAPED_SAMPLE = 'test/fixtures/tag/scraped-global-economy.txt';

const noHints: Hints = {
  jsonLdSections: [],
  metaSections: [],
  breadcrumbs: [],
  sectionLine: null,
  keywords: [],
};

function article(overrides: Omit<Partial<TagInput>, 'hints'> & { hints?: Partial<Hints> } = {}): TagInput {
  return {
    title: overrides.title ?? null,
    text: overrides.text ?? '',
    sectionLabels: overrides.sectionLabels ?? [],
    canonicalUrl: overrides.canonicalUrl ?? null,
    hints: { ...noHints, ...overrides.hints },
    provenance: overrides.provenance ?? { source: 'test' },
  };
}

describe('tagArticle evidence chain', () => {
  it('tags the scraped-text sample business through its "Global Economy" section line', () => {
    // Prepare: the sample's first line is the outlet's section line; the rest is the article.
    const [sectionLine, , title, ...rest] = readFileSync(SCRAPED_SAMPLE, 'utf8').split('\n');
    const input = article({ title, text: rest.join('\n'), hints: { sectionLine: sectionLine!.trim() } });

    // Act
    const result = tagArticle(input);

    // Assess
    expect(result.section).toBe('business');
    expect(result.sections[0]).toMatchObject({
      id: 'business',
      via: 'section-line',
      match: 'Global Economy',
    });
    expect(result.vocabularyVersion).toBe(DEFAULT_VOCABULARY.version);
  });

  it('trusts JSON-LD articleSection over the URL path and keeps the URL as a candidate', () => {
    const input = article({
      hints: { jsonLdSections: ['Sport'] },
      canonicalUrl: 'https://example.com/politics/2024/05/minister-plays-golf',
    });

    const result = tagArticle(input);

    expect(result.section).toBe('sport');
    expect(result.sections.map((s) => [s.id, s.via])).toEqual(
      expect.arrayContaining([
        ['sport', 'jsonld'],
        ['politics', 'url'],
      ]),
    );
    expect(result.sections[0]?.score).toBeGreaterThan(result.sections[1]?.score ?? 1);
  });

  it.each([
    ['Wirtschaft', 'business'],
    ['Économie & Finances', 'business'],
    ['Deportes', 'sport'],
    ['Kultur', 'culture'],
    ['Faits divers', 'crime'],
    ['Ciencia', 'science'],
    ['Meinung', 'opinion'],
    ['Medio ambiente', 'environment'],
  ])('maps the outlet label %s (article:section) to %s', (label, expected) => {
    const result = tagArticle(article({ hints: { metaSections: [label] } }));

    expect(result.section).toBe(expected);
    expect(result.sections[0]).toMatchObject({ via: 'meta', match: label });
  });

  it('takes the innermost breadcrumb that names a section', () => {
    const result = tagArticle(article({ hints: { breadcrumbs: ['News', 'Wirtschaft', 'Digital'] } }));

    expect(result.section).toBe('technology');
    expect(result.sections[0]).toMatchObject({ via: 'breadcrumb', match: 'Digital' });
  });

  it('skips generic labels and falls back to the URL path', () => {
    const result = tagArticle(
      article({
        hints: { metaSections: ['News', 'Allgemein'] },
        canonicalUrl: 'https://www.example.co.uk/sport/football/12345678',
      }),
    );

    expect(result.section).toBe('sport');
    expect(result.sections[0]).toMatchObject({ via: 'url', match: 'football' });
  });

  it('does not read a section out of the article slug', () => {
    const result = tagArticle(
      article({ canonicalUrl: 'https://example.com/2024/05/trump-wins-the-election-again' }),
    );

    expect(result.sections.filter((s) => s.via === 'url')).toEqual([]);
  });

  it('reads sections from the host name (sport.example.at)', () => {
    const result = tagArticle(article({ canonicalUrl: 'https://sport.example.at/stories/3000123' }));

    expect(result.sections[0]).toMatchObject({ id: 'sport', via: 'url', match: 'sport.example.at' });
  });

  it('applies a per-source path override the shared vocabulary cannot know', () => {
    // Prepare: "/eco/" is ambiguous (economy or ecology) so the vocabulary leaves it alone.
    const url = 'https://www.lemonde.fr/eco/article/2024/05/01/la-bce-maintient-ses-taux_123.html';
    const generic = tagArticle(article({ canonicalUrl: url, provenance: { source: 'elsewhere' } }));

    const overridden = tagArticle(article({ canonicalUrl: url, provenance: { source: 'lemonde' } }));

    expect(generic.sections.some((s) => s.via === 'override' || s.via === 'url')).toBe(false);
    expect(overridden.section).toBe('business');
    expect(overridden.sections[0]).toMatchObject({ via: 'override', match: '/eco/' });
  });

  it('reads an override from the upload path when there is no canonical URL', () => {
    const result = tagArticle(
      article({ provenance: { source: 'lemonde', rawKey: 'incoming/lemonde/eco/2024/05/01/taux.html' } }),
    );

    expect(result.sections[0]).toMatchObject({ id: 'business', via: 'override' });
  });
});

describe('tagArticle ignores metadata furniture', () => {
  it('reads only the head of a keyword soup put in articleSection', () => {
    const soup = ['Durch die Gegend', 'Podcast', 'Wien', 'Café', 'Internet', 'Pop', 'Reportage'];

    const result = tagArticle(article({ hints: { jsonLdSections: soup } }));

    expect(result.sections.filter((s) => s.via === 'jsonld')).toEqual([]);
  });

  it('skips a breadcrumb that is the outlet name', () => {
    const result = tagArticle(
      article({
        canonicalUrl: 'https://jungle.world/artikel/2023/43/imperialismus',
        siteName: 'Jungle World',
        hints: { breadcrumbs: ['Jungle.World'] },
      }),
    );

    expect(result.sections.some((s) => s.via === 'breadcrumb')).toBe(false);
  });

  it('does not read a place word inside a longer label as world news', () => {
    const result = tagArticle(article({ hints: { jsonLdSections: ['Boxsport International'] } }));

    expect(result.section).toBe('sport');
  });
});

describe('tagArticle without metadata (content classifier)', () => {
  it('classifies a German football report as sport and names the words that decided', () => {
    const text =
      'Der FC Augsburg hat am Samstag gegen den VfL Bochum mit 2:0 gewonnen. Trainer und Mannschaft ' +
      'feierten den Sieg vor 30.000 Fans im Stadion. Der Stürmer erzielte beide Tore in der zweiten ' +
      'Halbzeit, die Bundesliga-Tabelle sieht nun anders aus. In der nächsten Saison will der Verein um ' +
      'die Meisterschaft spielen, sagte der Trainer nach dem Spiel.';

    const result = tagArticle(article({ title: 'Augsburg gewinnt gegen Bochum', text }));

    expect(result.section).toBe('sport');
    expect(result.sections[0]?.via).toBe('content');
    expect(result.sections[0]?.match).toMatch(/\w/);
  });

  it('abstains on text with no topical signal but still lists candidates', () => {
    const result = tagArticle(article({ title: 'Hello', text: 'Hello there. This is it. Yes.' }));

    expect(result.section).toBeNull();
  });

  it('keeps content candidates below metadata evidence', () => {
    const result = tagArticle(
      article({
        hints: { sectionLine: 'Opinion' },
        title: 'The league must change',
        text: 'The football season, the coach, the players and the goals in the final match of the cup.',
      }),
    );

    expect(result.section).toBe('opinion');
    const content = result.sections.filter((s) => s.via === 'content');
    expect(content.every((s) => s.score < (result.sections[0]?.score ?? 0))).toBe(true);
  });
});

describe('retagArticle', () => {
  it('reports a change when the stored item was tagged with an older vocabulary', () => {
    const input = tagInputFromItem(
      {
        title: 'Markets fall',
        sectionLabels: ['Global Economy'],
        canonicalUrl: null,
        source: 'scmp',
        rawKey: 'incoming/scmp/a.txt',
      },
      'Shares fell sharply on Monday.',
    );
    const current = tagArticle(input);

    const stale = retagArticle(input, { section: null, sections: [], vocabularyVersion: '0.9.0' });
    const fresh = retagArticle(input, current);

    expect(stale.changed).toBe(true);
    expect(stale.result.section).toBe('business');
    expect(stale.result.sections[0]).toMatchObject({ via: 'label', match: 'Global Economy' });
    expect(fresh.changed).toBe(false);
  });
});
