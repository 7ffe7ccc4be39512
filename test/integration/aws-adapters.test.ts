import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTables } from '#shared/adapters/aws/create-tables.ts';
import { DynamoArticleStore } from '#shared/adapters/aws/dynamo-article-store.ts';
import { DynamoFingerprintIndex } from '#shared/adapters/aws/dynamo-fingerprint-index.ts';
import { DynamoIngestionLog } from '#shared/adapters/aws/dynamo-ingestion-log.ts';
import { S3BlobStore } from '#shared/adapters/aws/s3-blob-store.ts';
import { NotFoundError, TooLargeError } from '#shared/errors.ts';
import type { IngestionRecord } from '#shared/ports/index.ts';
import { makeArticle, makeItem } from '../support/articles.ts';
import { collect } from '../support/collect.ts';
import { type LocalAws, startLocalAws } from '../support/local-aws.ts';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => {
  await aws?.stop();
});

describe('createTables', () => {
  it('is idempotent: a second call leaves the existing tables in place', async () => {
    // Prepare: startLocalAws already created them.
    // Act
    const names = await createTables(aws.dynamo, aws.prefix);
    // Assess
    expect(names).toEqual({
      Articles: aws.tables.articles,
      Fingerprints: aws.tables.fingerprints,
      Ingestions: aws.tables.ingestions,
    });
  });
});

describe('S3BlobStore against s3rver', () => {
  it('round-trips bytes unchanged, with user metadata under lower-case keys', async () => {
    // Prepare: an upstream upload with metadata, key with a space and non-ASCII.
    const blobs = new S3BlobStore(aws.s3, aws.bucket);
    const key = 'incoming/example/Straße news.html';
    const body = new TextEncoder().encode('<html><body><p>Grüße aus Köln</p></body></html>');
    await aws.s3.send(
      new PutObjectCommand({
        Bucket: aws.bucket,
        Key: key,
        Body: body,
        ContentType: 'text/html',
        Metadata: { 'Source-Url': 'https://example.com/a', section: 'World' },
      }),
    );
    // Act
    const got = await blobs.get(key);
    // Assess
    expect(Buffer.from(got.body).equals(Buffer.from(body))).toBe(true);
    expect(got.metadata).toMatchObject({ 'source-url': 'https://example.com/a', section: 'World' });
    expect(got.etag).toMatch(/^[0-9a-f]{32}$/);
    expect(await blobs.exists(key)).toBe(true);
    expect(await collect(blobs.list('incoming/example/'))).toContain(key);
  });

  it('refuses an object over the size cap and reports a missing one as not found', async () => {
    const blobs = new S3BlobStore(aws.s3, aws.bucket);
    await blobs.put('incoming/example/big.txt', 'x'.repeat(5000));
    await expect(blobs.get('incoming/example/big.txt', { maxBytes: 1000 })).rejects.toBeInstanceOf(
      TooLargeError,
    );
    await expect(blobs.get('incoming/example/nothing.txt')).rejects.toBeInstanceOf(NotFoundError);
    expect(await blobs.exists('incoming/example/nothing.txt')).toBe(false);
  });
});

describe('DynamoFingerprintIndex against dynalite', () => {
  it('lets exactly one of many concurrent claimants win, and tells every one who did', async () => {
    // Prepare
    const index = new DynamoFingerprintIndex(aws.doc, aws.tables.fingerprints);
    const claimants = ['a1', 'a2', 'a3', 'a4', 'a5'];
    // Act
    const results = await Promise.all(
      claimants.map((id) =>
        index.claim('exact#hash-race', { articleId: id, clusterId: id, at: '2025-01-01T00:00:00Z' }),
      ),
    );
    // Assess
    const winners = new Set(results.map((r) => r.articleId));
    expect(winners.size).toBe(1);
    expect(await index.get('exact#hash-race')).toEqual(results[0]);
    expect(await index.get('exact#never-claimed')).toBeNull();
  });
});

describe('DynamoIngestionLog against dynalite', () => {
  const base: IngestionRecord = {
    rawKey: 'incoming/example/log.jsonl',
    line: 3,
    articleId: 'art-log',
    outcome: 'stored',
    reason: null,
    step: 'store',
    at: '2025-01-30T09:00:00.000Z',
    sequencer: '0062E99A88DC407460',
  };

  it('keeps the first record of an upload when a redelivery reports it again', async () => {
    const log = new DynamoIngestionLog(aws.doc, aws.tables.ingestions);
    await log.record(base);
    await log.record({ ...base, outcome: 'unchanged', at: '2025-01-30T09:05:00.000Z' });
    const records = await collect(log.list({ rawKeyPrefix: base.rawKey }));
    expect(records).toEqual([base]);
  });

  it('lets a later upload of the same key replace the record, but not an earlier one arriving late', async () => {
    const log = new DynamoIngestionLog(aws.doc, aws.tables.ingestions);
    const rawKey = 'incoming/example/reupload.txt';
    await log.record({ ...base, rawKey, sequencer: 'A0' });
    await log.record({ ...base, rawKey, outcome: 'version', sequencer: '0100' }); // 0x100 > 0xA0
    await log.record({ ...base, rawKey, outcome: 'unchanged', sequencer: 'B0' }); // late, older
    const [record] = await collect(log.list({ rawKeyPrefix: rawKey }));
    expect(record).toMatchObject({ outcome: 'version', sequencer: '0100' });
  });

  it('writes each record of many sent at once under its own line, through the cached low-level client', async () => {
    // Prepare: the puts go out as PutItem on a client that reuses one resolved handler per
    // command class (cacheMiddleware); each call must still send its own input.
    const log = new DynamoIngestionLog(aws.doc, aws.tables.ingestions);
    const rawKey = 'incoming/example/many-lines.jsonl';
    const lines = Array.from({ length: 25 }, (_, i) => i + 1);
    // Act
    await Promise.all(lines.map((line) => log.record({ ...base, rawKey, line, articleId: `art-${line}` })));
    // Assess
    const records = await collect(log.list({ rawKeyPrefix: rawKey }));
    expect(records.map((r) => [r.line, r.articleId]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(
      lines.map((line) => [line, `art-${line}`]),
    );
  });

  it('lists failures (with what replay needs) until a replay of the same upload succeeds', async () => {
    const log = new DynamoIngestionLog(aws.doc, aws.tables.ingestions);
    const rawKey = 'incoming/example/fails.txt';
    const failure: IngestionRecord = {
      ...base,
      rawKey,
      outcome: 'failed',
      reason: 'dead-lettered after 5 attempts: DependencyError',
      step: 'tag',
      replayMessage: '{"articleId":"art-log"}',
    };
    await log.record(failure);
    expect((await collect(log.listFailures())).filter((r) => r.rawKey === rawKey)).toEqual([failure]);
    await log.record({ ...base, rawKey });
    expect((await collect(log.listFailures())).filter((r) => r.rawKey === rawKey)).toEqual([]);
    expect(await collect(log.list({ rawKeyPrefix: rawKey, outcome: 'stored' }))).toHaveLength(1);
  });
});

describe('DynamoArticleStore against dynalite', () => {
  it('creates, then reports the same content as unchanged, then bumps the version for new content', async () => {
    const store = new DynamoArticleStore(aws.doc, aws.tables.articles);
    const first = makeItem(makeArticle({ id: 'art-upsert' }));
    const changed = makeItem(
      makeArticle({
        id: 'art-upsert',
        text: 'A corrected version of the story.',
        provenance: { sequencer: '0062E99A88DC407470' },
      }),
    );

    expect(await store.upsert(first)).toEqual({ tag: 'created', version: 1 });
    expect(await store.upsert(first)).toMatchObject({ tag: 'unchanged', version: 1 });
    expect(await store.upsert(changed)).toEqual({ tag: 'updated', version: 2 });
    expect(await store.upsert(first)).toMatchObject({ tag: 'unchanged', version: 2 }); // the old text again

    const stored = await store.get('art-upsert');
    expect(stored).toMatchObject({ version: 2, contentHash: changed.contentHash, text: changed.text });
    expect(stored?.previousContentHashes).toEqual([first.contentHash]);
  });

  it('serialises concurrent new versions: every write counts, none is lost', async () => {
    const store = new DynamoArticleStore(aws.doc, aws.tables.articles);
    const texts = ['one', 'two', 'three', 'four'].map((w) => `Version ${w} of the text.`);
    const items = texts.map((text, i) =>
      makeItem(
        makeArticle({ id: 'art-race', text, provenance: { rawKey: `incoming/example/race-${i}.txt` } }),
      ),
    );
    const results = await Promise.all(items.map((item) => store.upsert(item)));
    expect(results.map((r) => r.version).sort()).toEqual([1, 2, 3, 4]);
    const stored = await store.get('art-race');
    expect(stored?.version).toBe(4);
    expect(stored?.previousContentHashes).toHaveLength(3);
  });

  it('pages the latest articles of a section across day buckets, newest first', async () => {
    // Prepare: five articles in "science" over three days, one in another section.
    const store = new DynamoArticleStore(
      aws.doc,
      aws.tables.articles,
      () => new Date('2025-03-03T12:00:00Z'),
    );
    const times = [
      '2025-03-03T10:00:00.000Z',
      '2025-03-03T08:00:00.000Z',
      '2025-03-02T23:00:00.000Z',
      '2025-03-01T09:00:00.000Z',
      '2025-02-20T09:00:00.000Z',
    ];
    for (const [i, t] of times.entries()) {
      const article = makeArticle({
        id: `sci-${i}`,
        text: `Science story ${i}.`,
        publishedAt: t,
        provenance: { source: 'lab', ingestedAt: '2025-03-03T11:00:00.000Z' },
      });
      await store.upsert(makeItem(article, { section: 'science' }));
    }
    await store.upsert(
      makeItem(makeArticle({ id: 'sport-0', text: 'Sport.', publishedAt: times[0] }), { section: 'sport' }),
    );

    // Act
    const first = await store.latestInSection('science', { limit: 2 });
    const second = await store.latestInSection('science', { limit: 2, cursor: first.cursor ?? undefined });
    const third = await store.latestInSection('science', { limit: 2, cursor: second.cursor ?? undefined });

    // Assess
    expect(first.items.map((i) => i.id)).toEqual(['sci-0', 'sci-1']);
    expect(second.items.map((i) => i.id)).toEqual(['sci-2', 'sci-3']);
    expect(third.items.map((i) => i.id)).toEqual(['sci-4']);
    expect(third.cursor).toBeNull();
    const bySource = await store.bySource('lab', { since: '2025-03-02T00:00:00Z', limit: 10 });
    expect(bySource.items.map((i) => i.id)).toEqual(['sci-0', 'sci-1', 'sci-2']);
  });

  it('lists a story cluster oldest first', async () => {
    const store = new DynamoArticleStore(aws.doc, aws.tables.articles);
    const seen = { ingestedAt: '2025-04-02T00:00:00.000Z' };
    const lead = makeArticle({
      id: 'clu-lead',
      text: 'Cluster lead.',
      publishedAt: '2025-04-01T08:00:00.000Z',
      provenance: seen,
    });
    const copy = makeArticle({
      id: 'clu-copy',
      text: 'Cluster lead.',
      publishedAt: '2025-04-01T09:00:00.000Z',
      provenance: seen,
    });
    await store.upsert(
      makeItem(copy, {
        clusterId: 'clu-lead',
        duplicateOf: 'clu-lead',
        similarity: 1,
        duplicateKind: 'exact',
      }),
    );
    await store.upsert(makeItem(lead, { clusterId: 'clu-lead' }));
    const page = await store.byCluster('clu-lead');
    expect(page.items.map((i) => [i.id, i.duplicateOf])).toEqual([
      ['clu-lead', null],
      ['clu-copy', 'clu-lead'],
    ]);
  });
});
