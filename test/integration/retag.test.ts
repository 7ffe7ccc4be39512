import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoArticleStore } from '#shared/adapters/aws/dynamo-article-store.ts';
import { retagArticle, tagUpdateFor } from '#shared/domain/tag/index.ts';
import { makeArticle, makeItem } from '../support/articles.ts';
import { type LocalAws, startLocalAws } from '../support/local-aws.ts';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => {
  await aws?.stop();
});

describe('re-tagging a stored article (dynalite)', () => {
  it('moves an article tagged with an old vocabulary into its new section listing', async () => {
    // Prepare: an article stored as "world" by vocabulary 0.9.0 whose outlet calls it "Wirtschaft".
    const store = new DynamoArticleStore(
      aws.doc,
      aws.tables.articles,
      () => new Date('2025-03-03T12:00:00Z'),
    );
    const article = makeArticle({
      id: 'retag-1',
      publishedAt: '2025-03-03T08:00:00.000Z',
      sectionLabels: ['Wirtschaft'],
      hints: {
        jsonLdSections: ['Wirtschaft'],
        metaSections: [],
        breadcrumbs: [],
        sectionLine: null,
        keywords: [],
      },
      provenance: { source: 'outlet', ingestedAt: '2025-03-03T09:00:00.000Z' },
    });
    await store.upsert(makeItem(article, { section: 'world', sections: [], vocabularyVersion: '0.9.0' }));
    const stored = (await store.get('retag-1'))!;

    // Act
    const { result, changed } = retagArticle(article, stored);
    const written = await store.updateTags(tagUpdateFor(stored, result));

    // Assess
    expect(changed).toBe(true);
    expect(written).toBe(true);
    const after = await store.get('retag-1');
    expect(after).toMatchObject({ section: 'business', vocabularyVersion: result.vocabularyVersion });
    expect(after?.sections[0]).toMatchObject({ id: 'business', via: 'jsonld', match: 'Wirtschaft' });
    const window = { since: '2025-03-01T00:00:00Z', until: '2025-03-04T00:00:00Z' };
    expect((await store.latestInSection('business', window)).items.map((i) => i.id)).toContain('retag-1');
    expect((await store.latestInSection('world', window)).items.map((i) => i.id)).not.toContain('retag-1');
  });

  it('leaves a newer version alone (its own pipeline run tags it)', async () => {
    const store = new DynamoArticleStore(aws.doc, aws.tables.articles);
    const article = makeArticle({ id: 'retag-2', text: 'First text of the story, long enough to count.' });
    await store.upsert(makeItem(article, { section: 'sport' }));
    const stale = (await store.get('retag-2'))!;
    await store.upsert(makeItem(makeArticle({ id: 'retag-2', text: 'A second, edited text of the story.' })));

    const written = await store.updateTags(
      tagUpdateFor(stale, { section: 'culture', sections: [], vocabularyVersion: '9.9.9' }),
    );

    expect(written).toBe(false);
    expect((await store.get('retag-2'))?.vocabularyVersion).not.toBe('9.9.9');
  });
});
