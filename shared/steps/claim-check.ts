/**
 * Claim checks: the normalized article written once to S3 so messages stay small. The key holds
 * the content hash, so a new version never overwrites a check an in-flight message points at.
 */
import { type NormalizedArticle, NormalizedArticleSchema } from '../domain/article.ts';
import type { ArticleRef } from '../domain/messages.ts';
import { InvalidMessageError } from '../errors.ts';
import { BUCKET_PREFIXES } from '../pipeline.ts';
import type { BlobStore } from '../ports/index.ts';

/** `normalized/<articleId>/<contentHash>.json` */
export const claimCheckKey = (articleId: string, contentHash: string): string =>
  `${BUCKET_PREFIXES.normalized}${articleId}/${contentHash}.json`;

/**
 * Write `article`'s claim check and return the message that points at it (normalize → dedupe).
 * Rewriting it is harmless: same key, same bytes.
 */
export async function writeClaimCheck(blobs: BlobStore, article: NormalizedArticle): Promise<ArticleRef> {
  const normalizedKey = claimCheckKey(article.id, article.contentHash);
  await blobs.put(normalizedKey, JSON.stringify(article), { contentType: 'application/json' });
  return {
    articleId: article.id,
    normalizedKey,
    contentHash: article.contentHash,
    canonicalUrl: article.canonicalUrl,
    provenance: article.provenance,
  };
}

/**
 * Read the claim check a message points at. A missing object throws `NotFoundError` (retried);
 * one that is not a normalized article, or not the one the message names, is a bug.
 */
export async function readClaimCheck(
  blobs: BlobStore,
  ref: { readonly normalizedKey: string; readonly articleId: string; readonly contentHash: string },
): Promise<NormalizedArticle> {
  const { body } = await blobs.get(ref.normalizedKey);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch (cause) {
    throw new InvalidMessageError(`Claim check ${ref.normalizedKey} is not JSON`, { cause });
  }
  const parsed = NormalizedArticleSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidMessageError(
      `Claim check ${ref.normalizedKey} is not a normalized article: ${parsed.error.message}`,
    );
  }
  const article = parsed.data;
  if (article.id !== ref.articleId || article.contentHash !== ref.contentHash) {
    throw new InvalidMessageError(
      `Claim check ${ref.normalizedKey} holds ${article.id}/${article.contentHash}, not ${ref.articleId}/${ref.contentHash}`,
    );
  }
  return article;
}
