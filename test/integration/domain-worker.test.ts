/**
 * The local runner's domain worker thread (local/domain-worker.ts): the same pure functions as
 * in the invocation, run on another thread, must give the same results, and must fail a call
 * with a reason rather than hang.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainWorker } from '#local/domain-worker.ts';
import type { NormalizedArticle } from '#shared/domain/article.ts';
import { DEFAULT_THRESHOLDS, fingerprint } from '#shared/domain/dedupe/near.ts';
import { normalizeBatchChunk, normalizeOrSplit } from '#shared/domain/normalize/index.ts';
import { DEFAULT_NORMALIZE_SETTINGS, type RawInput } from '#shared/domain/normalize/types.ts';
import { tagArticle } from '#shared/domain/tag/index.ts';

const rawInput = (key: string, body: Uint8Array): RawInput => ({
  key,
  body,
  etag: 'e1',
  sequencer: '0A',
  contentType: null,
  metadata: {},
  ingestedAt: '2026-01-05T10:00:00.000Z',
});

const articleOf = (result: ReturnType<typeof normalizeOrSplit>): NormalizedArticle => {
  if (result.tag !== 'items' || result.items[0]?.tag !== 'article') throw new Error('expected an article');
  return result.items[0].article;
};

let worker: DomainWorker;
beforeAll(() => {
  worker = new DomainWorker().warm();
});
afterAll(async () => {
  await worker.close();
});

describe('DomainWorker', () => {
  it('normalizes, fingerprints and tags a page exactly as the invocation would', async () => {
    // Prepare: the HTML sample.
    const input = rawInput(
      'incoming/samples/page.html',
      readFileSync('samples/html/harbour-council-budget.html'),
    );
    const inProcess = normalizeOrSplit(input, DEFAULT_NORMALIZE_SETTINGS);
    const article = articleOf(inProcess);
    const near = {
      articleId: article.id,
      text: article.text,
      site: 'example.com',
      at: input.ingestedAt,
    };
    // Act
    const [normalized, subject, tags] = await Promise.all([
      worker.normalize(input, DEFAULT_NORMALIZE_SETTINGS),
      worker.fingerprint(near, DEFAULT_THRESHOLDS),
      worker.tag(article),
    ]);
    // Assess
    expect(normalized).toEqual(inProcess);
    expect(subject).toEqual(fingerprint(near, DEFAULT_THRESHOLDS));
    expect(subject?.signature).toBeInstanceOf(Uint32Array);
    expect(tags).toEqual(tagArticle(article));
  });

  it('normalizes a chunk of a batch file to the same lines, numbered as in the file', async () => {
    // Prepare: a JSONL batch of three records; the chunk is lines 2-3.
    const lines = [1, 2, 3].map((n) =>
      JSON.stringify({
        url: `https://example.com/news/${n}`,
        title: `Story number ${n} about the harbour`,
        text: `The harbour authority said on Monday that ship number ${n} would dock late. `.repeat(8),
      }),
    );
    const input = rawInput('incoming/batch.jsonl', new TextEncoder().encode(`${lines.join('\n')}\n`));
    const window = { bodyFirstLine: 1, fromLine: 2, toLine: 3, charset: 'utf-8' };
    // Act
    const result = await worker.normalizeChunk(input, DEFAULT_NORMALIZE_SETTINGS, window);
    // Assess
    expect(result).toEqual(normalizeBatchChunk(input, DEFAULT_NORMALIZE_SETTINGS, window));
    expect(result.tag === 'items' ? result.items.map((i) => i.line) : []).toEqual([2, 3]);
  });

  it('rejects a call whose function throws, with the error message from the worker', async () => {
    // Prepare: an article without text makes the tagger throw inside the worker.
    const broken = { url: null } as unknown as NormalizedArticle;
    // Act / Assess
    await expect(worker.tag(broken)).rejects.toThrow(/Cannot read properties/);
    // The worker is still there for the next call.
    const input = rawInput(
      'incoming/samples/page.html',
      readFileSync('samples/html/harbour-council-budget.html'),
    );
    await expect(worker.normalize(input, DEFAULT_NORMALIZE_SETTINGS)).resolves.toMatchObject({
      tag: 'items',
    });
  });

  it('refuses calls once closed instead of leaving them pending', async () => {
    // Prepare
    const closed = new DomainWorker();
    await closed.close();
    // Act / Assess
    await expect(closed.tag({} as NormalizedArticle)).rejects.toThrow(/closed/);
  });
});
