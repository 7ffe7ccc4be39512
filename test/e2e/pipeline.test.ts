/**
 * End to end through the local runner with the real handlers, on real s3rver + dynalite (random
 * ports, a temp data dir): uploads go in through the S3 API, results come out of DynamoDB.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '#local/queue.ts';
import { type Session, startSession } from '#local/session.ts';
import type { ArticleItem } from '#shared/domain/item.ts';
import type { IngestionRecord } from '#shared/ports/index.ts';

const SAMPLES = new URL('../../samples/', import.meta.url);

describe('pipeline end to end (local runner, real handlers)', () => {
  let dataDir: string;
  let session: Session;
  let normalizeBodies: string[];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'newsflow-e2e-'));
    normalizeBodies = [];
    session = await startSession({
      dataDir,
      logLevel: 'SILENT',
      runner: {
        batchingWindowMs: 20,
        retryDelayMs: () => 20,
        onBatchDone: (step: string, done: readonly ReceivedMessage[]) => {
          if (step === 'normalize') normalizeBodies.push(...done.map((m) => m.body));
        },
      },
    });
  });
  afterEach(async () => {
    await session.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const put = (key: string, body: string | Uint8Array) =>
    session.embedded.s3.send(
      new PutObjectCommand({ Bucket: session.embedded.endpoints.bucket, Key: key, Body: body }),
    );
  const articles = async (): Promise<ArticleItem[]> => {
    const out: ArticleItem[] = [];
    for await (const item of session.deps.articles.scan()) out.push(item);
    return out.sort((a, b) => a.rawKey.localeCompare(b.rawKey) || a.line - b.line);
  };
  const ingestions = async (): Promise<IngestionRecord[]> => {
    const out: IngestionRecord[] = [];
    for await (const r of session.deps.ingestions.list()) out.push(r);
    return out.sort((a, b) => a.rawKey.localeCompare(b.rawKey) || a.line - b.line);
  };

  it('stores one item when the same S3 event is delivered twice', async () => {
    // Prepare
    const html = await readFile(new URL('html/harbour-council-budget.html', SAMPLES));
    await put('incoming/coastal/budget.html', html);
    await session.runner.idle();
    const [event] = normalizeBodies;
    // Act: at-least-once delivery: the very same notification again
    await session.runner.queue('normalize').send([{ body: event! }]);
    await session.runner.idle();
    // Assess
    const items = await articles();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      title: 'Harbour council approves flood barrier budget after late-night vote',
      section: 'politics',
      version: 1,
      duplicateOf: null,
    });
    expect(await ingestions()).toEqual([
      expect.objectContaining({ rawKey: 'incoming/coastal/budget.html', line: 0, outcome: 'stored' }),
    ]);
  });

  it('puts the same text uploaded twice at once under two keys into one cluster', async () => {
    // Prepare
    const text = await readFile(new URL('scraped-text/000_9d232cb06c14f531.txt', SAMPLES));
    // Act
    await Promise.all([
      put('incoming/outlet-a/deepseek.txt', text),
      put('incoming/outlet-b/deepseek.txt', text),
    ]);
    await session.runner.idle();
    // Assess
    const items = await articles();
    expect(items).toHaveLength(2);
    const [a, b] = items as [ArticleItem, ArticleItem];
    expect(a.clusterId).toBe(b.clusterId);
    const first = items.filter((i) => i.duplicateOf === null);
    expect(first).toHaveLength(1);
    expect(items.find((i) => i.duplicateOf !== null)).toMatchObject({
      duplicateOf: first[0]?.id,
      duplicateKind: 'exact',
    });
    const outcomes = (await ingestions()).map((r) => r.outcome).sort();
    expect(outcomes).toEqual(['duplicate', 'stored']);
  });

  it('stores the good lines of a JSONL and records each bad line with its number', async () => {
    // Prepare
    const good = (n: number) =>
      JSON.stringify({
        url: `https://wire.example/world/${n}`,
        title: `Dispatch number ${n}`,
        text: `Dispatch ${n}: ${'Talks between the delegations resumed on Thursday after a pause of several weeks. '.repeat(3)}`,
      });
    const lines = [good(1), '{"url": "https://wire.example/broken"', good(3), '[1, 2, 3]', good(5)];
    // Act
    await put('incoming/wire/batch.jsonl', `${lines.join('\n')}\n`);
    await session.runner.idle();
    // Assess
    expect((await articles()).map((a) => [a.line, a.title])).toEqual([
      [1, 'Dispatch number 1'],
      [3, 'Dispatch number 3'],
      [5, 'Dispatch number 5'],
    ]);
    const records = await ingestions();
    expect(records.map((r) => [r.line, r.outcome])).toEqual([
      [1, 'stored'],
      [2, 'failed'],
      [3, 'stored'],
      [4, 'failed'],
      [5, 'stored'],
    ]);
    expect(records[1]?.reason).toMatch(/batch\.jsonl line 2/);
    expect(records[3]?.reason).toMatch(/batch\.jsonl line 4/);
  });
});
