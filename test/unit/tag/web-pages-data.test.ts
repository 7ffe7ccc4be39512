import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentFeatures, DEFAULT_CONTENT_MODEL } from '#shared/domain/tag/content.ts';
import { contentText } from '#shared/domain/tag/index.ts';
import { DEFAULT_VOCABULARY } from '#shared/domain/tag/vocabulary.ts';
import {
  LabelSchema,
  parseStems,
  readJsonl,
  STEM_LENGTH,
  WebPageSchema,
  webPageItems,
} from '../../../scripts/lib/section-corpus.ts';
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

  it('reads Windows line ends and a separator with trailing spaces, and refuses an unknown header line', () => {
    const good =
      '=== https://example.org/sport/a\r\nlanguage: de\r\nlabel: sport\r\nwhy: URL /sport/\r\ntitle: T\r\n--- \r\nText.\r\n';
    expect(parseRecords('a.txt', good).records.map((r) => r.text)).toEqual(['Text.']);
    const odd =
      '=== https://example.org/sport/b\nlanguage: de\nlabel: sport\nsection: Sport\nwhy: x\ntitle: T\n---\nText.\n';
    expect(parseRecords('b.txt', odd)).toEqual({ records: [], malformed: ['b.txt:4: not a header line'] });
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
  const items = webPageItems(rows);
  const sections = new Set(DEFAULT_VOCABULARY.sections.map((s) => s.id));

  it('labels every page with a vocabulary section', () => {
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(sections.has(row.label), row.url).toBe(true);
  });

  it('keeps no page text: only stems no longer than the model reads, with counts', () => {
    expect(STEM_LENGTH).toBe(DEFAULT_CONTENT_MODEL.stemLength);
    const bad = rows.flatMap((row) =>
      [...parseStems(row.stems)]
        .filter(([stem, count]) => stem.length > STEM_LENGTH || !Number.isInteger(count) || count < 1)
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

  it('reaches the classifier as the stems it stored, but for stems no text reads back to', () => {
    const lost: string[] = [];
    const changed: string[] = [];
    rows.forEach((row, n) => {
      const stored = parseStems(row.stems);
      const read = new Map(
        [...contentFeatures(contentText(items[n]!.article), STEM_LENGTH)].map(([stem, { count }]) => [
          stem,
          count,
        ]),
      );
      for (const [stem, count] of read)
        if (stored.get(stem) !== count) changed.push(`${row.url}: ${stem} ${stored.get(stem)} → ${count}`);
      for (const stem of stored.keys()) if (!read.has(stem)) lost.push(stem);
    });
    expect(changed).toEqual([]);
    // Only stems with a character that is neither letter nor digit ("1⁄2", from "½") are lost.
    expect(lost.filter((stem) => /^[\p{L}\p{N}]+$/u.test(stem))).toEqual([]);
    expect(lost.length).toBeLessThan(5);
  });

  it('trains on no page that is in the news sample or shares most of its words with one', () => {
    expect(items.map((i) => i.split)).toEqual(rows.map((r) => r.split));
    const evalSets = items.filter((i) => i.split === 'eval').map((i) => new Set(i.stems!.keys()));
    let largest = 0;
    for (const item of items.filter((i) => i.split === 'train')) {
      const words = new Set(item.stems!.keys());
      for (const other of evalSets) {
        let shared = 0;
        for (const w of words) if (other.has(w)) shared += 1;
        largest = Math.max(largest, shared / Math.min(words.size, other.size));
      }
    }
    // The import drops a page sharing a fifth of its 5-grams with another; sharing nine tenths of
    // the vocabulary would be the same text.
    expect(largest).toBeLessThan(0.9);
  });

  it('has one second, blind reading for every news-sample page, each a vocabulary section', () => {
    const lines = readFileSync('data/sections/news-sample-second-reading.tsv', 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.split('\t'));
    const evalUrls = rows.filter((r) => r.split === 'eval').map((r) => r.url);
    expect(lines.map(([url]) => url).sort()).toEqual([...evalUrls].sort());
    for (const [url, section] of lines) expect(sections.has(section!.replace(/\?$/, '')), url).toBe(true);
  });

  it('has one second, blind reading for every dev eval page and none for a train page', () => {
    const lines = readFileSync('data/sections/dev-second-reading.tsv', 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.split('\t'));
    const evalIds = readJsonl('data/sections/labels.jsonl', LabelSchema)
      .filter((l) => l.split === 'eval')
      .map((l) => l.id);
    expect(lines.map(([id]) => id).sort()).toEqual([...evalIds].sort());
    for (const [id, section] of lines) expect(sections.has(section!.replace(/\?$/, '')), id).toBe(true);
  });
});
