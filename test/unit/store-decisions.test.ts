import { describe, expect, it } from 'vitest';
import { compareSequencers } from '#shared/domain/sequencer.ts';
import { bodyKey, fitsInline, indexKeys, sortTime } from '#shared/domain/store/build-item.ts';
import { decideUpsert, ingestionOutcome } from '#shared/domain/store/upsert.ts';
import { makeArticle, makeItem } from '../support/articles.ts';

describe('decideUpsert', () => {
  const stored = { ...makeItem(), version: 1 };

  it('creates what is not there yet', () => {
    expect(decideUpsert(null, makeItem())).toMatchObject({
      tag: 'create',
      item: { version: 1, previousContentHashes: [] },
    });
  });

  it('leaves the item alone for content it already has, current or earlier', () => {
    expect(decideUpsert(stored, makeItem()).tag).toBe('unchanged');
    const v2 = {
      ...makeItem(makeArticle({ text: 'Second version.' })),
      version: 2,
      previousContentHashes: [stored.contentHash],
    };
    expect(decideUpsert(v2, makeItem()).tag).toBe('unchanged');
  });

  it('bumps the version for new content and remembers the old hash', () => {
    const changed = makeItem(
      makeArticle({ text: 'Corrected story.', provenance: { sequencer: '0062E99A88DC407461' } }),
    );
    expect(decideUpsert(stored, changed)).toMatchObject({
      tag: 'update',
      expectedVersion: 1,
      item: { version: 2, previousContentHashes: [stored.contentHash], contentHash: changed.contentHash },
    });
  });

  it('ignores an older upload of the same key that arrives after a newer one', () => {
    const older = makeItem(
      makeArticle({ text: 'Older text.', provenance: { sequencer: '0062E99A88DC40745F' } }),
    );
    expect(decideUpsert(stored, older).tag).toBe('unchanged');
  });
});

describe('ingestionOutcome', () => {
  const item = makeItem();
  it('reports stored, duplicate and version for writes', () => {
    expect(ingestionOutcome({ tag: 'created' }, item)).toBe('stored');
    expect(ingestionOutcome({ tag: 'created' }, { ...item, duplicateOf: 'other' })).toBe('duplicate');
    expect(ingestionOutcome({ tag: 'updated' }, item)).toBe('version');
  });

  it('reports a redelivery of the creating message as what that message did, not unchanged', () => {
    expect(ingestionOutcome({ tag: 'unchanged', existing: item }, item)).toBe('stored');
    expect(ingestionOutcome({ tag: 'unchanged', existing: { ...item, version: 3 } }, item)).toBe('version');
    const refetch = { ...item, rawKey: 'incoming/example/again.txt' };
    expect(ingestionOutcome({ tag: 'unchanged', existing: item }, refetch)).toBe('unchanged');
  });
});

describe('index keys and body placement', () => {
  it('buckets section and source by day and sorts by time then id', () => {
    expect(
      indexKeys({ id: 'a1', section: 'world', source: 'reuters', time: '2025-01-30T08:00:00.000Z' }),
    ).toEqual({
      sectionDay: 'world#2025-01-30',
      sourceDay: 'reuters#2025-01-30',
      sortKey: '2025-01-30T08:00:00.000Z#a1',
    });
    expect(
      indexKeys({ id: 'a1', section: null, source: 'r', time: '2025-01-30T08:00:00.000Z' }),
    ).not.toHaveProperty('sectionDay');
  });

  it('sorts by publication time, normalised, unless it is missing or after ingestion', () => {
    expect(sortTime('2025-01-30T08:00:00Z', '2025-01-30T09:00:00Z')).toBe('2025-01-30T08:00:00.000Z');
    expect(sortTime(null, '2025-01-30T09:00:00Z')).toBe('2025-01-30T09:00:00.000Z');
    expect(sortTime('2031-01-01T00:00:00Z', '2025-01-30T09:00:00Z')).toBe('2025-01-30T09:00:00.000Z');
  });

  it('keeps text inline up to ~300 KB of UTF-8 and names the S3 key beyond', () => {
    expect(fitsInline('a'.repeat(300_000))).toBe(true);
    expect(fitsInline('é'.repeat(150_001))).toBe(false);
    expect(bodyKey('a1', 'h1')).toBe('bodies/a1/h1.txt');
  });
});

describe('compareSequencers', () => {
  it('compares as hexadecimal numbers whatever their length', () => {
    expect(compareSequencers('0100', 'A0')).toBeGreaterThan(0);
    expect(compareSequencers('0062E99A88DC407460', '62e99a88dc407460')).toBe(0);
    expect(compareSequencers(null, '00')).toBeLessThan(0);
  });
});
