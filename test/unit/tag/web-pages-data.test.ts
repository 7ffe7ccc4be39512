import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentFeatures } from '#shared/domain/tag/content.ts';
import { contentText } from '#shared/domain/tag/index.ts';
import { DEFAULT_VOCABULARY } from '#shared/domain/tag/vocabulary.ts';
import { parseStems, readJsonl, WebPageSchema, webPageItems } from '../../../scripts/lib/section-corpus.ts';
import { parseRecords, urlKey } from '../../../scripts/lib/web-pages.ts';

describe('collected web pages', () => {
  it('parses records and names the file and line of a malformed one', () => {
    const content = [
      '=== https://www.example.org/politik/vote',
      'language: de',
      'label: politics',
      'why: URL /politik/ + reading (vote)',
      'title: Der Bundestag stimmt ab',
      '---',
      'Erste Zeile.',
      '',
      'Zweite Zeile.',
      '=== https://www.example.org/sport/match',
      'language: de',
      'title: no label and no separator',
      '=== https://www.example.org/wirtschaft/x',
      'language: de',
      'label: business',
      'title: missing why',
      '---',
      'Text.',
    ].join('\n');
    const { records, malformed } = parseRecords('pages.txt', content);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      url: 'https://www.example.org/politik/vote',
      label: 'politics',
      title: 'Der Bundestag stimmt ab',
      text: 'Erste Zeile.\n\nZweite Zeile.',
    });
    expect(malformed).toEqual(['pages.txt:10: no --- line', 'pages.txt:13: missing why']);
  });

  it('keys URLs without scheme, www, query or trailing slash, so a dev-set page is recognised', () => {
    expect(urlKey('https://www.Example.org/Politik/vote/?utm=1#top')).toBe(
      urlKey('http://example.org/politik/vote'),
    );
    expect(urlKey('https://example.org/a')).not.toBe(urlKey('https://example.org/b'));
  });
});

describe('data/sections/web-pages.jsonl', () => {
  const rows = readJsonl('data/sections/web-pages.jsonl', WebPageSchema);
  const sections = new Set(DEFAULT_VOCABULARY.sections.map((s) => s.id));

  it('labels every page with a vocabulary section', () => {
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(sections.has(row.label), row.url).toBe(true);
  });

  it('keeps no page text: only stems of at most 7 characters with counts', () => {
    const bad = rows.flatMap((row) =>
      [...parseStems(row.stems)]
        .filter(([stem, count]) => stem.length > 7 || !Number.isInteger(count) || count < 1)
        .map(([stem, count]) => `${row.url}: ${stem}:${count}`),
    );
    expect(bad).toEqual([]);
    const raw = readFileSync('data/sections/web-pages.jsonl', 'utf8');
    expect(raw).not.toMatch(/"text"\s*:/);
  });

  it('holds each URL once', () => {
    const keys = rows.map((r) => urlKey(r.url));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('reaches the classifier as the stems it stored (the text the tag step reads is made of them)', () => {
    const web = webPageItems(rows);
    expect(web).toHaveLength(rows.length);
    for (const item of web) {
      const read = new Map(
        [...contentFeatures(contentText(item.article), 7)].map(([stem, { count }]) => [stem, count]),
      );
      expect(read).toEqual(item.stems);
    }
  });

  it('never trains on a page of the evaluation sample and never shares a URL between the two', () => {
    const evalKeys = new Set(rows.filter((r) => r.split === 'eval').map((r) => urlKey(r.url)));
    for (const r of rows.filter((r) => r.split === 'train'))
      expect(evalKeys.has(urlKey(r.url)), r.url).toBe(false);
  });
});
