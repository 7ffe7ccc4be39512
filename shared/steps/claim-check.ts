/**
 * How a normalized article travels between steps: inline in the message when it is small (the
 * common case), otherwise as a claim check written once to S3 whose key the message carries.
 * The claim-check key holds the content hash, so a new version never overwrites a check an
 * in-flight message points at.
 */
import { type NormalizedArticle, NormalizedArticleSchema } from '../domain/article.ts';
import { type ArticleRef, INLINE_ARTICLE_MAX_BYTES } from '../domain/messages.ts';
import { InvalidMessageError } from '../errors.ts';
import { BUCKET_PREFIXES } from '../pipeline.ts';
import type { BlobStore } from '../ports/index.ts';

/** `normalized/<articleId>/<contentHash>.json` */
export const claimCheckKey = (articleId: string, contentHash: string): string =>
  `${BUCKET_PREFIXES.normalized}${articleId}/${contentHash}.json`;

const refFields = (article: NormalizedArticle) => ({
  articleId: article.id,
  contentHash: article.contentHash,
  canonicalUrl: article.canonicalUrl,
  provenance: article.provenance,
});

/**
 * Write `article`'s claim check (`json`, when already serialized) and return the message that
 * points at it (normalize → dedupe).
 * Rewriting it is harmless: same key, same bytes.
 */
export async function writeClaimCheck(
  blobs: BlobStore,
  article: NormalizedArticle,
  json: string = JSON.stringify(article),
): Promise<ArticleRef> {
  const normalizedKey = claimCheckKey(article.id, article.contentHash);
  await blobs.put(normalizedKey, json, { contentType: 'application/json' });
  return { ...refFields(article), normalizedKey };
}

/**
 * The message that hands `article` to dedupe: the article inline when its JSON fits
 * {@link INLINE_ARTICLE_MAX_BYTES}, else a claim check written to S3.
 */
export async function handOff(blobs: BlobStore, article: NormalizedArticle): Promise<ArticleRef> {
  // Serialized once: the size check and, for a large article, the claim check's body.
  const json = JSON.stringify(article);
  if (Buffer.byteLength(json) > INLINE_ARTICLE_MAX_BYTES) return writeClaimCheck(blobs, article, json);
  return { ...refFields(article), normalizedKey: null, article };
}

type ArticleMessage = Pick<ArticleRef, 'normalizedKey' | 'article' | 'articleId' | 'contentHash'>;

/**
 * The article a message carries or points at. A missing claim check throws `NotFoundError`
 * (retried); a message with neither, or an article that is not the one the message names, is a bug.
 */
export async function loadArticle(blobs: BlobStore, ref: ArticleMessage): Promise<NormalizedArticle> {
  if (ref.article) return checkIdentity(ref.article, ref, 'the inline article');
  if (ref.normalizedKey === null) {
    throw new InvalidMessageError(
      `Message for ${ref.articleId} carries neither an article nor a claim check`,
    );
  }
  return readClaimCheck(blobs, { ...ref, normalizedKey: ref.normalizedKey });
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
  return checkIdentity(parsed.data, ref, `Claim check ${ref.normalizedKey}`);
}

function checkIdentity(
  article: NormalizedArticle,
  ref: { readonly articleId: string; readonly contentHash: string },
  what: string,
): NormalizedArticle {
  if (article.id !== ref.articleId || article.contentHash !== ref.contentHash) {
    throw new InvalidMessageError(
      `${what} holds ${article.id}/${article.contentHash}, not ${ref.articleId}/${ref.contentHash}`,
    );
  }
  return article;
}
