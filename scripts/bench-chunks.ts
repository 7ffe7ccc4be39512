/**
 * What splitting a batch file costs, in the normalize domain alone (no I/O): the split itself,
 * then one chunk normalized from its byte range (a plain JSONL) against the same chunk from the
 * whole gzipped object (gunzip + decode of everything, then its lines only).
 *
 *   npx tsx scripts/bench-chunks.ts /tmp/run-10k.jsonl [--chunk 500] [--rounds 3]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import {
  DEFAULT_NORMALIZE_SETTINGS,
  normalizeBatchChunk,
  normalizeOrSplit,
  type RawInput,
} from '#shared/domain/normalize/index.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { chunk: { type: 'string', default: '500' }, rounds: { type: 'string', default: '3' } },
});
const path = positionals[0];
if (path === undefined) throw new Error('usage: bench-chunks.ts <file.jsonl> [--chunk N] [--rounds N]');
const chunkRecords = Number(values.chunk);
const rounds = Number(values.rounds);

const plain = new Uint8Array(readFileSync(path));
const gzipped = new Uint8Array(gzipSync(plain));
const input = (body: Uint8Array, key: string): RawInput => ({
  key,
  body,
  etag: 'bench',
  sequencer: '01',
  contentType: null,
  metadata: {},
  ingestedAt: '2026-11-28T00:00:00.000Z',
});

/** Best of `rounds` wall times of `fn`, in ms. */
function best(fn: () => void): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return Math.round(min * 10) / 10;
}

const settings = DEFAULT_NORMALIZE_SETTINGS;
const split = normalizeOrSplit(input(plain, 'incoming/b/x.jsonl'), settings, chunkRecords);
if (split.tag !== 'chunks') throw new Error('the file is not larger than one chunk');
const chunk = split.chunks[Math.floor(split.chunks.length / 2)];
if (!chunk?.bytes) throw new Error('expected byte ranges for a plain JSONL');
const { start, end } = chunk.bytes;
const window = { fromLine: chunk.fromLine, toLine: chunk.toLine, charset: split.charset };

const results = {
  file: path,
  bytes: plain.byteLength,
  gzippedBytes: gzipped.byteLength,
  chunks: split.chunks.length,
  chunkRecords,
  splitPlainMs: best(() => normalizeOrSplit(input(plain, 'incoming/b/x.jsonl'), settings, chunkRecords)),
  splitGzipMs: best(() => normalizeOrSplit(input(gzipped, 'incoming/b/x.jsonl.gz'), settings, chunkRecords)),
  chunkFromRangeMs: best(() =>
    normalizeBatchChunk(input(plain.subarray(start, end), 'incoming/b/x.jsonl'), settings, {
      ...window,
      bodyFirstLine: chunk.fromLine,
    }),
  ),
  chunkFromWholeGzipMs: best(() =>
    normalizeBatchChunk(input(gzipped, 'incoming/b/x.jsonl.gz'), settings, { ...window, bodyFirstLine: 1 }),
  ),
};
console.log(JSON.stringify(results, null, 2));
