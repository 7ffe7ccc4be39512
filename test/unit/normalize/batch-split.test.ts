import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  type BatchSplit,
  DEFAULT_NORMALIZE_SETTINGS,
  type NormalizeItem,
  normalizeBatchChunk,
  normalizeDocument,
  normalizeOrSplit,
  type RawInput,
} from '#shared/domain/normalize/index.ts';

// A batch file cut into chunks must yield exactly what the whole file yields: same lines, same
// article ids and hashes, bad lines rejected on their real line numbers.

const record = (i: number): string =>
  JSON.stringify({
    url: `https://example.com/news/${i}`,
    title: `Story number ${i}`,
    text: `Councillors in district ${i} voted on the new bridge plan after a long debate about traffic, costs and the river crossing that residents had asked for since the flood. Über café prices rose too.`,
  });

/** 25 records, with blank lines, a CRLF line, an unparseable line (8) and a record without text (15). */
function batchLines(): string[] {
  const lines: string[] = [];
  for (let i = 1; i <= 25; i++) {
    if (i === 8) lines.push('{"url": "https://example.com/broken", "text": ');
    else if (i === 15) lines.push(JSON.stringify({ url: 'https://example.com/empty', title: 'No body' }));
    else lines.push(i === 3 ? `${record(i)}\r` : record(i));
    if (i % 6 === 0) lines.push('');
  }
  return lines;
}

const input = (body: Uint8Array, key = 'incoming/test/batch.jsonl'): RawInput => ({
  key,
  body,
  etag: 'e1',
  sequencer: '01',
  contentType: null,
  metadata: {},
  ingestedAt: '2026-11-28T10:00:00.000Z',
});

const summary = (items: readonly NormalizeItem[]) =>
  items.map((i) =>
    i.tag === 'article'
      ? { line: i.line, id: i.article.id, hash: i.article.contentHash, charset: i.article.charset }
      : { line: i.line, code: i.code },
  );

function asSplit(result: ReturnType<typeof normalizeOrSplit>): BatchSplit {
  if (result.tag !== 'chunks') throw new Error(`expected chunks, got ${result.tag}`);
  return result;
}

describe('splitting a batch file in line ranges', () => {
  it('cuts by records, and each chunk read by its byte range yields what the whole file yields', () => {
    // Prepare
    const body = new Uint8Array(Buffer.from(batchLines().join('\n'), 'utf8'));
    const whole = normalizeDocument(input(body));
    if (whole.tag !== 'items') throw new Error('whole file rejected');

    // Act
    const split = asSplit(normalizeOrSplit(input(body), DEFAULT_NORMALIZE_SETTINGS, 10));
    const items = split.chunks.flatMap((c) => {
      if (c.bytes === null) throw new Error('a plain UTF-8 file is range-readable');
      const part = body.subarray(c.bytes.start, c.bytes.end);
      const result = normalizeBatchChunk(input(part), DEFAULT_NORMALIZE_SETTINGS, {
        bodyFirstLine: c.fromLine,
        fromLine: c.fromLine,
        toLine: c.toLine,
        charset: split.charset,
      });
      if (result.tag !== 'items') throw new Error(`chunk ${c.fromLine} rejected`);
      return result.items;
    });

    // Assess
    expect(split.chunks.map((c) => [c.fromLine, c.toLine, c.records])).toEqual([
      [1, 11, 10],
      [12, 23, 10],
      [24, 29, 5],
    ]);
    expect(summary(items)).toEqual(summary(whole.items));
    expect(items.filter((i) => i.tag !== 'article').map((i) => i.line)).toEqual([9, 17]);
  });

  it('gives a gzipped batch line ranges only: each chunk reads the whole object and keeps its lines', () => {
    // Prepare
    const body = new Uint8Array(gzipSync(Buffer.from(batchLines().join('\n'), 'utf8')));
    const whole = normalizeDocument(input(body, 'incoming/test/batch.jsonl.gz'));
    if (whole.tag !== 'items') throw new Error('whole file rejected');

    // Act
    const split = asSplit(
      normalizeOrSplit(input(body, 'incoming/test/batch.jsonl.gz'), DEFAULT_NORMALIZE_SETTINGS, 10),
    );
    const items = split.chunks.flatMap((c) => {
      const result = normalizeBatchChunk(
        input(body, 'incoming/test/batch.jsonl.gz'),
        DEFAULT_NORMALIZE_SETTINGS,
        {
          bodyFirstLine: 1,
          fromLine: c.fromLine,
          toLine: c.toLine,
          charset: split.charset,
        },
      );
      return result.tag === 'items' ? result.items : [];
    });

    // Assess
    expect(split.chunks.every((c) => c.bytes === null)).toBe(true);
    expect(summary(items)).toEqual(summary(whole.items));
  });

  it('leaves the records past the batch cap out of every chunk and reports the first of them', () => {
    // Prepare
    const body = new Uint8Array(Buffer.from(batchLines().join('\n'), 'utf8'));
    const settings = { ...DEFAULT_NORMALIZE_SETTINGS, maxBatchRecords: 12 };

    // Act
    const split = asSplit(normalizeOrSplit(input(body), settings, 10));

    // Assess: the 13th record is on line 15 (blank lines 7 and 14 hold none)
    expect(split.chunks.map((c) => [c.fromLine, c.toLine])).toEqual([
      [1, 11],
      [12, 13],
    ]);
    expect(split.rejected).toMatchObject([{ tag: 'rejected', code: 'too-large', line: 15 }]);
  });

  it('normalizes a batch of no more records than the chunk size at once', () => {
    // Prepare
    const body = new Uint8Array(Buffer.from(batchLines().join('\n'), 'utf8'));

    // Act
    const result = normalizeOrSplit(input(body), DEFAULT_NORMALIZE_SETTINGS, 25);

    // Assess
    expect(result.tag).toBe('items');
  });

  it('keeps a windows-1252 batch decoded as one: every chunk reads with the charset of the whole', () => {
    // Prepare: curly quotes as windows-1252 bytes (0x93/0x94) make the file invalid UTF-8
    const lines = Array.from({ length: 6 }, (_, i) =>
      JSON.stringify({ url: `https://example.com/q/${i}`, text: `${record(i)} he said “yes” and left` }),
    );
    const body = new Uint8Array(Buffer.from(lines.join('\n'), 'latin1'));
    for (let i = 0; i < body.length; i++) {
      if (body[i] === 0x1c) body[i] = 0x93;
      if (body[i] === 0x1d) body[i] = 0x94;
    }
    const whole = normalizeDocument(input(body));
    if (whole.tag !== 'items') throw new Error('whole file rejected');

    // Act
    const split = asSplit(normalizeOrSplit(input(body), DEFAULT_NORMALIZE_SETTINGS, 2));
    const items = split.chunks.flatMap((c) => {
      const part = c.bytes === null ? body : body.subarray(c.bytes.start, c.bytes.end);
      const result = normalizeBatchChunk(input(part), DEFAULT_NORMALIZE_SETTINGS, {
        bodyFirstLine: c.bytes === null ? 1 : c.fromLine,
        fromLine: c.fromLine,
        toLine: c.toLine,
        charset: split.charset,
      });
      return result.tag === 'items' ? result.items : [];
    });

    // Assess
    expect(summary(items)).toEqual(summary(whole.items));
    expect(items).toHaveLength(6);
  });
});
