import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDedupeHandler } from '#functions/dedupe/handler.ts';
import { createStoreHandler } from '#functions/store/handler.ts';
import type { NormalizedArticle } from '#shared/domain/article.ts';
import type { ArticleRef, Deduped } from '#shared/domain/messages.ts';
import type { IngestionRecord } from '#shared/ports/index.ts';
import { writeClaimCheck } from '#shared/steps/claim-check.ts';
import { makeArticle, makeTagged } from '../support/articles.ts';
import { collect } from '../support/collect.ts';
import { lambdaContext, sqsEvent, sqsRecord } from '../support/lambda-events.ts';
import { type LocalAws, startLocalAws } from '../support/local-aws.ts';
import { RecordingQueue, testDeps } from '../support/step-deps.ts';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => {
  await aws?.stop();
});

/** Write the claim check and return the normalize step's message for it. */
const refFor = (article: NormalizedArticle): Promise<ArticleRef> =>
  writeClaimCheck(testDeps(aws).blobs, article);

const ingestionsOf = async (rawKey: string): Promise<IngestionRecord[]> =>
  collect(testDeps(aws).ingestions.list({ rawKeyPrefix: rawKey }));

describe('dedupe handler', () => {
  it('puts the same text uploaded under two keys at once into one cluster, never two', async () => {
    // Prepare: one story text, two uploads without canonical URL (so two article ids).
    const text = 'Markets fell sharply on Monday after the central bank signalled further rate rises.';
    const a = makeArticle({
      id: 'race-a',
      text,
      canonicalUrl: null,
      provenance: { rawKey: 'incoming/wire/a.txt' },
    });
    const b = makeArticle({
      id: 'race-b',
      text,
      canonicalUrl: null,
      provenance: { rawKey: 'incoming/wire/b.txt' },
    });
    const [refA, refB] = await Promise.all([refFor(a), refFor(b)]);
    const next = new RecordingQueue();
    const handler = createDedupeHandler(testDeps(aws, { next }));

    // Act: both deliveries race, as two Lambda invocations would.
    const responses = await Promise.all([
      handler(sqsEvent([JSON.stringify(refA)]), lambdaContext()),
      handler(sqsEvent([JSON.stringify(refB)]), lambdaContext()),
    ]);

    // Assess
    expect(responses.flatMap((r) => r.batchItemFailures)).toEqual([]);
    const out = next.bodies() as Deduped[];
    expect(new Set(out.map((m) => m.clusterId)).size).toBe(1);
    const first = out.find((m) => m.duplicateOf === null);
    const copy = out.find((m) => m.duplicateOf !== null);
    expect(copy).toMatchObject({ duplicateOf: first?.articleId, similarity: 1, duplicateKind: 'exact' });
  });

  it('does not call an article a duplicate of itself when its message is delivered again', async () => {
    const ref = await refFor(
      makeArticle({ id: 'redelivered', text: 'A story delivered twice by the queue.' }),
    );
    const next = new RecordingQueue();
    const handler = createDedupeHandler(testDeps(aws, { next }));
    await handler(sqsEvent([JSON.stringify(ref)]), lambdaContext());
    await handler(sqsEvent([JSON.stringify(ref)]), lambdaContext());
    expect((next.bodies() as Deduped[]).map((m) => [m.clusterId, m.duplicateOf])).toEqual([
      ['redelivered', null],
      ['redelivered', null],
    ]);
  });

  it('under policy "drop" records the duplicate and sends nothing on', async () => {
    const text = 'A press release every outlet printed word for word.';
    const original = await refFor(
      makeArticle({ id: 'drop-1', text, provenance: { rawKey: 'incoming/pr/1.txt' } }),
    );
    const copy = await refFor(
      makeArticle({ id: 'drop-2', text, provenance: { rawKey: 'incoming/pr/2.txt' } }),
    );
    const next = new RecordingQueue();
    const handler = createDedupeHandler(testDeps(aws, { next, settings: { duplicatePolicy: 'drop' } }));
    await handler(sqsEvent([JSON.stringify(original)]), lambdaContext());
    await handler(sqsEvent([JSON.stringify(copy)]), lambdaContext());
    expect((next.bodies() as Deduped[]).map((m) => m.articleId)).toEqual(['drop-1']);
    expect(await ingestionsOf('incoming/pr/2.txt')).toMatchObject([
      {
        articleId: 'drop-2',
        outcome: 'duplicate',
        step: 'dedupe',
        reason: expect.stringContaining('drop-1'),
      },
    ]);
  });

  it('fails only the malformed record of a batch; its neighbour goes on', async () => {
    const ref = await refFor(makeArticle({ id: 'neighbour', text: 'The good record of a mixed batch.' }));
    const next = new RecordingQueue();
    const handler = createDedupeHandler(testDeps(aws, { next }));
    const bad = sqsRecord('{"not":"an article ref"}');
    const response = await handler({ Records: [bad, sqsRecord(JSON.stringify(ref))] }, lambdaContext());
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: bad.messageId }]);
    expect((next.bodies() as Deduped[]).map((m) => m.articleId)).toEqual(['neighbour']);
  });
});

describe('store handler', () => {
  it('stores an article once when the same message is delivered twice, and reports it stored', async () => {
    const article = makeArticle({
      id: 'twice',
      text: 'Delivered twice, stored once.',
      provenance: { rawKey: 'incoming/x/twice.txt' },
    });
    await refFor(article);
    const handler = createStoreHandler(testDeps(aws, { next: null }));
    const body = JSON.stringify(makeTagged(article));
    await handler(sqsEvent([body]), lambdaContext());
    await handler(sqsEvent([body]), lambdaContext());
    const stored = await testDeps(aws).articles.get('twice');
    expect(stored).toMatchObject({
      version: 1,
      text: 'Delivered twice, stored once.',
      section: 'business',
      schemaVersion: 1,
    });
    expect(stored).toMatchObject({ rawKey: 'incoming/x/twice.txt', etag: 'etag-1', pipelineVersion: 'test' });
    expect(await ingestionsOf('incoming/x/twice.txt')).toMatchObject([
      { outcome: 'stored', articleId: 'twice', line: 0 },
    ]);
  });

  it('bumps the version when the same URL comes back with changed text', async () => {
    const v1 = makeArticle({
      id: 'versioned',
      text: 'First draft of the story.',
      provenance: { rawKey: 'incoming/x/v1.html' },
    });
    const v2 = makeArticle({
      id: 'versioned',
      text: 'Corrected story, with a new paragraph.',
      provenance: { rawKey: 'incoming/x/v2.html' },
    });
    await Promise.all([refFor(v1), refFor(v2)]);
    const handler = createStoreHandler(testDeps(aws, { next: null }));
    await handler(sqsEvent([JSON.stringify(makeTagged(v1))]), lambdaContext());
    await handler(sqsEvent([JSON.stringify(makeTagged(v2))]), lambdaContext());
    expect(await testDeps(aws).articles.get('versioned')).toMatchObject({
      version: 2,
      text: 'Corrected story, with a new paragraph.',
      previousContentHashes: [v1.contentHash],
      rawKey: 'incoming/x/v2.html',
    });
    expect(await ingestionsOf('incoming/x/v2.html')).toMatchObject([{ outcome: 'version' }]);
  });

  it('puts a body too large for an item in S3 and points the item at it', async () => {
    const paragraph = 'A very long investigative report paragraph with many details and names. ';
    const text = Array.from({ length: 5000 }, () => paragraph).join('\n\n'); // ~370 KB
    const article = makeArticle({ id: 'long-read', text });
    await refFor(article);
    const deps = testDeps(aws, { next: null });
    await createStoreHandler(deps)(sqsEvent([JSON.stringify(makeTagged(article))]), lambdaContext());
    const stored = await deps.articles.get('long-read');
    expect(stored).toMatchObject({ text: null, textKey: `bodies/long-read/${article.contentHash}.txt` });
    const body = await deps.blobs.get(stored?.textKey ?? '');
    expect(Buffer.from(body.body).toString('utf8')).toBe(text);
  });

  it('records a linked duplicate as "duplicate" with its cluster', async () => {
    const article = makeArticle({
      id: 'linked-copy',
      text: 'Syndicated copy.',
      provenance: { rawKey: 'incoming/syn/copy.txt' },
    });
    await refFor(article);
    const handler = createStoreHandler(testDeps(aws, { next: null }));
    const message = makeTagged(article, {
      clusterId: 'lead',
      duplicateOf: 'lead',
      similarity: 1,
      duplicateKind: 'exact',
    });
    await handler(sqsEvent([JSON.stringify(message)]), lambdaContext());
    expect(await ingestionsOf('incoming/syn/copy.txt')).toMatchObject([
      { outcome: 'duplicate', reason: 'exact duplicate of lead (cluster lead)' },
    ]);
    expect(await testDeps(aws).articles.get('linked-copy')).toMatchObject({
      clusterId: 'lead',
      duplicateOf: 'lead',
    });
  });
});
