import { describe, expect, it } from 'vitest';
import { normalizeDocument } from '#shared/domain/normalize/index.ts';
import { DEFAULT_NORMALIZE_SETTINGS, sizeCapFor } from '#shared/domain/normalize/types.ts';
import { syntheticArticle, toJsonRecord } from '../../scripts/bench/synthetic-articles.ts';

// Found by the pipeline benchmark: a JSONL batch of 10,000 ordinary records (42 MB) was
// rejected whole as "too large", because the 20 MiB cap for one document applied to the batch
// file. A batch now has its own cap; each record is still held to the document cap.

const settings = { ...DEFAULT_NORMALIZE_SETTINGS, maxDocumentBytes: 20_000, maxBatchBytes: 1_000_000 };
const input = (key: string, text: string) => ({
  key,
  body: new TextEncoder().encode(text),
  etag: null,
  sequencer: null,
  contentType: null,
  metadata: {},
  ingestedAt: '2026-11-28T12:00:00.000Z',
});

describe('batch files and the size cap', () => {
  it('reads a batch larger than one document, record by record', () => {
    // Prepare: 30 records ≈ 125 KB, six times the document cap
    const lines = Array.from({ length: 30 }, (_, n) => toJsonRecord(syntheticArticle(n, 21)));

    // Act
    const result = normalizeDocument(input('incoming/x/batch.jsonl', lines.join('\n')), settings);

    // Assess
    expect(result.tag).toBe('items');
    const items = result.tag === 'items' ? result.items : [];
    expect(items.filter((i) => i.tag === 'article')).toHaveLength(30);
  });

  it('still rejects one record over the document cap, naming its line, and keeps the others', () => {
    const big = JSON.stringify({ title: 'Too long', text: 'word '.repeat(5000) });
    const lines = [toJsonRecord(syntheticArticle(1, 22)), big, toJsonRecord(syntheticArticle(2, 22))];
    const result = normalizeDocument(input('incoming/x/batch.ndjson', lines.join('\n')), settings);
    const items = result.tag === 'items' ? result.items : [];
    expect(items.map((i) => [i.line, i.tag])).toEqual([
      [1, 'article'],
      [2, 'rejected'],
      [3, 'article'],
    ]);
    expect(items[1]?.tag === 'rejected' ? items[1].reason : '').toMatch(/Line 2 .*at most 20000/);
  });

  it('keeps the document cap for everything that is not a batch file', () => {
    expect(sizeCapFor('incoming/x/page.html', settings)).toBe(20_000);
    expect(sizeCapFor('incoming/x/record.json', settings)).toBe(20_000);
    expect(sizeCapFor('incoming/x/batch.jsonl.gz', settings)).toBe(1_000_000);
    const page = `<html><body><p>${'word '.repeat(5000)}</p></body></html>`;
    expect(normalizeDocument(input('incoming/x/page.html', page), settings)).toMatchObject({
      code: 'too-large',
    });
  });
});
