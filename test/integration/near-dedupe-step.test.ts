import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDedupeHandler } from '#functions/dedupe/handler.ts';
import { createStoreHandler } from '#functions/store/handler.ts';
import type { NormalizedArticle } from '#shared/domain/article.ts';
import type { ArticleRef, Deduped } from '#shared/domain/messages.ts';
import { writeClaimCheck } from '#shared/steps/claim-check.ts';
import { makeArticle, makeTagged } from '../support/articles.ts';
import { lambdaContext, sqsEvent } from '../support/lambda-events.ts';
import { type LocalAws, startLocalAws } from '../support/local-aws.ts';
import { RecordingQueue, testDeps } from '../support/step-deps.ts';
import { editWords, fixture, retag, truncate } from '../unit/dedupe/text-helpers.ts';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => {
  await aws?.stop();
});

const fr = fixture('fr-tdg-chlorothalonil.txt');
const de = fixture('de-focus-leasing.txt');

/** Run the dedupe handler (with its default near-duplicate stage) on `article`; returns its verdict. */
async function dedupe(article: NormalizedArticle): Promise<Deduped> {
  const ref: ArticleRef = await writeClaimCheck(testDeps(aws).blobs, article);
  const next = new RecordingQueue();
  const response = await createDedupeHandler(testDeps(aws, { next }))(
    sqsEvent([JSON.stringify(ref)]),
    lambdaContext(),
  );
  expect(response.batchItemFailures).toEqual([]);
  const [out] = next.bodies() as Deduped[];
  if (!out) throw new Error('dedupe forwarded nothing');
  return out;
}

const at = (hour: number) =>
  `2026-03-0${1 + Math.floor(hour / 24)}T${String(hour % 24).padStart(2, '0')}:00:00.000Z`;

describe('dedupe step with near-duplicates (dynalite)', () => {
  it('joins an edited copy and an excerpt from other sites to the first article, and an exact copy of the excerpt too', async () => {
    // Prepare
    const original = makeArticle({
      id: 'tdg-original',
      text: fr,
      canonicalUrl: 'https://www.tdg.ch/suisse/chlorothalonil',
      provenance: { rawKey: 'incoming/tdg/a.html', ingestedAt: at(1) },
    });
    const edited = makeArticle({
      id: 'edited-copy',
      text: editWords(fr, 25),
      canonicalUrl: 'https://copies.example/chlorothalonil',
      provenance: { rawKey: 'incoming/copies/b.html', ingestedAt: at(2) },
    });
    const excerptText = `${truncate(fr, 0.6)}\n\nCet article a paru d'abord dans la Tribune de Genève.`;
    const excerpt = makeArticle({
      id: 'excerpt',
      text: excerptText,
      canonicalUrl: 'https://aggregator.example/ch/1',
      provenance: { rawKey: 'incoming/agg/c.html', ingestedAt: at(3) },
    });
    const excerptAgain = makeArticle({
      id: 'excerpt-elsewhere',
      text: excerptText,
      canonicalUrl: 'https://other-aggregator.example/ch/1',
      provenance: { rawKey: 'incoming/agg2/d.html', ingestedAt: at(4) },
    });
    const unrelated = makeArticle({
      id: 'unrelated',
      text: de,
      canonicalUrl: 'https://copies.example/leasing',
      provenance: { rawKey: 'incoming/copies/e.html', ingestedAt: at(5) },
    });

    // Act
    const verdicts = [];
    for (const a of [original, edited, excerpt, excerptAgain, unrelated]) verdicts.push(await dedupe(a));

    // Assess
    const [v1, v2, v3, v4, v5] = verdicts;
    expect(v1).toMatchObject({ clusterId: 'tdg-original', duplicateOf: null, duplicateKind: null });
    expect(v2).toMatchObject({
      clusterId: 'tdg-original',
      duplicateOf: 'tdg-original',
      duplicateKind: 'near',
    });
    expect(v3).toMatchObject({
      clusterId: 'tdg-original',
      duplicateOf: 'tdg-original',
      duplicateKind: 'near',
    });
    expect(v3?.similarity).toBeGreaterThan(0.8);
    expect(v4).toMatchObject({ clusterId: 'tdg-original', duplicateOf: 'excerpt', duplicateKind: 'exact' });
    expect(v5).toMatchObject({ clusterId: 'unrelated', duplicateOf: null });
  });

  it('makes changed text under the same canonical URL a new version of the article, not a duplicate', async () => {
    // Prepare: version 1 stored; version 2 is the same URL with a corrected text
    const url = 'https://www.focus.de/auto/leasen';
    const text = retag(de, 'v');
    const v1 = makeArticle({
      id: 'focus-leasing',
      text,
      canonicalUrl: url,
      provenance: { rawKey: 'incoming/focus/v1.html', ingestedAt: at(10) },
    });
    const v2 = makeArticle({
      id: 'focus-leasing',
      text: editWords(text, 40),
      canonicalUrl: url,
      provenance: { rawKey: 'incoming/focus/v2.html', ingestedAt: at(11) },
    });
    const store = createStoreHandler(testDeps(aws));
    const d1 = await dedupe(v1);
    await store(sqsEvent([JSON.stringify(makeTagged(v1, d1))]), lambdaContext());

    // Act
    const d2 = await dedupe(v2);
    await store(sqsEvent([JSON.stringify(makeTagged(v2, d2))]), lambdaContext());

    // Assess
    expect(d2).toMatchObject({ clusterId: 'focus-leasing', duplicateOf: null, duplicateKind: null });
    const item = await testDeps(aws).articles.get('focus-leasing');
    expect(item).toMatchObject({
      version: 2,
      contentHash: v2.contentHash,
      previousContentHashes: [v1.contentHash],
      clusterId: 'focus-leasing',
      duplicateOf: null,
    });
  });
});
