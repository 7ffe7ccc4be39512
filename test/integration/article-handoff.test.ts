import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INLINE_ARTICLE_MAX_BYTES } from '#shared/domain/messages.ts';
import { InvalidMessageError } from '#shared/errors.ts';
import { BUCKET_PREFIXES } from '#shared/pipeline.ts';
import { handOff, loadArticle } from '#shared/steps/claim-check.ts';
import { makeArticle } from '../support/articles.ts';
import { collect } from '../support/collect.ts';
import { type LocalAws, startLocalAws } from '../support/local-aws.ts';
import { testDeps } from '../support/step-deps.ts';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws({ bucket: 'newsflow-handoff' });
});
afterAll(async () => {
  await aws?.stop();
});

const claimChecksOf = async (articleId: string): Promise<string[]> =>
  collect(testDeps(aws).blobs.list(`${BUCKET_PREFIXES.normalized}${articleId}/`));

describe('handing an article from normalize to the next steps', () => {
  it('carries a news-sized article inside the message and writes nothing to S3', async () => {
    // Prepare
    const { blobs } = testDeps(aws);
    const article = makeArticle({ id: 'small-1' });

    // Act
    const ref = await handOff(blobs, article);
    const loaded = await loadArticle(blobs, JSON.parse(JSON.stringify(ref)));

    // Assess
    expect(ref.normalizedKey).toBeNull();
    expect(Buffer.byteLength(JSON.stringify(ref))).toBeLessThan(INLINE_ARTICLE_MAX_BYTES + 4096);
    expect(loaded).toEqual(article);
    expect(await claimChecksOf('small-1')).toEqual([]);
  });

  it('writes an article too large for a message to S3 and reads it back through the key', async () => {
    // Prepare: ~75 KB of text, above the inline limit (multi-byte characters count as bytes)
    const { blobs } = testDeps(aws);
    const text = Array.from({ length: 1500 }, (_, i) => `Paragraph ${i}: Zürich’s budget — über alles.`).join(
      '\n\n',
    );
    const article = makeArticle({ id: 'large-1', text });

    // Act
    const ref = await handOff(blobs, article);
    const loaded = await loadArticle(blobs, ref);

    // Assess
    expect(ref.article).toBeUndefined();
    expect(ref.normalizedKey).toMatch(/^normalized\/large-1\//);
    expect(Buffer.byteLength(JSON.stringify(ref))).toBeLessThan(2048);
    expect(loaded.text).toBe(text);
    expect(await claimChecksOf('large-1')).toHaveLength(1);
  });

  it('rejects a message whose inline article is not the one it names', async () => {
    // Prepare
    const { blobs } = testDeps(aws);
    const ref = await handOff(blobs, makeArticle({ id: 'named-1' }));

    // Act
    const load = loadArticle(blobs, { ...ref, articleId: 'someone-else' });

    // Assess
    await expect(load).rejects.toBeInstanceOf(InvalidMessageError);
    await expect(load).rejects.toThrow(/not someone-else/);
  });
});
