// Imported the way a downstream app does, through the package's `exports`.
import { type ArticleItem, createNewsflowClient, type NewsflowClient, paginate } from 'newsflow/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoreHandler } from '#functions/store/handler.ts';
import { writeClaimCheck } from '#shared/steps/claim-check.ts';
import { makeArticle, makeTagged } from '../support/articles.ts';
import { lambdaContext, sqsEvent } from '../support/lambda-events.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, type LocalAws, startLocalAws } from '../support/local-aws.ts';
import { testDeps } from '../support/step-deps.ts';

let aws: LocalAws;
let client: NewsflowClient;

/** Store articles through the real store handler, as the pipeline would. */
async function store(messages: ReturnType<typeof makeTagged>[], articles: ReturnType<typeof makeArticle>[]) {
  const deps = testDeps(aws, { next: null });
  for (const a of articles) await writeClaimCheck(deps.blobs, a);
  await createStoreHandler(deps)(sqsEvent(messages.map((m) => JSON.stringify(m))), lambdaContext('store'));
}

beforeAll(async () => {
  aws = await startLocalAws();
  client = createNewsflowClient({
    articlesTable: aws.tables.articles,
    bucket: aws.bucket,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    dynamodbEndpoint: aws.dynamodbEndpoint,
    s3Endpoint: aws.s3Endpoint,
  });
  // Prepare: a wire story and two syndicated copies (one cluster), three days of technology news,
  // and one long read whose body lives in S3.
  const ingestedAt = new Date().toISOString();
  const day = (daysAgo: number, hour: number) =>
    new Date(Date.now() - daysAgo * 86_400_000 - hour * 3_600_000).toISOString();
  const tech = [0, 0, 1, 2, 2].map((d, i) =>
    makeArticle({
      id: `tech-${i}`,
      text: `Technology story number ${i}.`,
      publishedAt: day(d, i),
      provenance: { source: 'techwire', ingestedAt },
    }),
  );
  const wire = makeArticle({
    id: 'wire',
    text: 'Wire story.',
    publishedAt: day(0, 5),
    provenance: { source: 'wire', ingestedAt },
  });
  const copies = ['copy-1', 'copy-2'].map((id, i) =>
    makeArticle({
      id,
      text: 'Wire story.',
      publishedAt: day(0, 4 - i),
      provenance: { source: 'paper', ingestedAt },
    }),
  );
  const long = makeArticle({ id: 'long', text: 'Long read. '.repeat(40_000), provenance: { ingestedAt } });
  await store(
    tech.map((a) => makeTagged(a, { section: 'technology' })),
    tech,
  );
  await store(
    [
      makeTagged(wire),
      ...copies.map((c) =>
        makeTagged(c, { clusterId: 'wire', duplicateOf: 'wire', similarity: 1, duplicateKind: 'exact' }),
      ),
    ],
    [wire, ...copies],
  );
  await store([makeTagged(long)], [long]);
});
afterAll(async () => {
  await aws?.stop();
});

describe('newsflow/client', () => {
  it('gets one article by id, and null for an unknown id', async () => {
    expect(await client.getArticle('wire')).toMatchObject({
      id: 'wire',
      text: 'Wire story.',
      schemaVersion: 1,
    });
    expect(await client.getArticle('no-such-article')).toBeNull();
  });

  it('fills in a body kept in S3', async () => {
    const article = await client.getArticle('long');
    expect(article?.textKey).toMatch(/^bodies\/long\//);
    expect(article?.text).toBe('Long read. '.repeat(40_000));
    expect((await client.getArticle('long', { withText: false }))?.text).toBeNull();
  });

  it('lists the latest in a section newest first, page by page', async () => {
    const first = await client.latestInSection('technology', { limit: 2 });
    expect(first.items.map((a) => a.id)).toEqual(['tech-0', 'tech-1']);
    const all: ArticleItem[] = [];
    for await (const a of paginate((cursor) => client.latestInSection('technology', { limit: 2, cursor })))
      all.push(a);
    expect(all.map((a) => a.id)).toEqual(['tech-0', 'tech-1', 'tech-2', 'tech-3', 'tech-4']);
  });

  it('lists by source within a time window', async () => {
    const since = new Date(Date.now() - 1.5 * 86_400_000).toISOString();
    const page = await client.bySource('techwire', { since });
    expect(page.items.map((a) => a.id)).toEqual(['tech-0', 'tech-1', 'tech-2']);
  });

  it('lists a story cluster, the original first', async () => {
    const page = await client.byCluster('wire');
    expect(page.items.map((a) => [a.id, a.duplicateOf])).toEqual([
      ['wire', null],
      ['copy-1', 'wire'],
      ['copy-2', 'wire'],
    ]);
  });
});
