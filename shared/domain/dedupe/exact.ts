/**
 * Exact duplicates, pure. The step claims `exact#<contentHash>` with a conditional write; the
 * winning claim decides: ours (first sighting, or a redelivery or re-fetch of the same article)
 * or another article's (this one is its duplicate and joins its cluster).
 */
import type { FingerprintClaim } from '../../ports/index.ts';

/** Fingerprints key of an exact-content claim. */
export const exactKey = (contentHash: string): string => `exact#${contentHash}`;

/** What dedupe decided for one article; carried on to tag and store. */
export interface DedupeVerdict {
  readonly clusterId: string;
  /** The first article of the cluster this one duplicates; null when it is the first. */
  readonly duplicateOf: string | null;
  /** Similarity to `duplicateOf` (1 for exact); null when first. */
  readonly similarity: number | null;
  readonly duplicateKind: 'exact' | 'near' | null;
}

/** The claim an article makes on its content: it starts its own cluster unless someone was first. */
export const ownClaim = (articleId: string, at: string): FingerprintClaim => ({
  articleId,
  clusterId: articleId,
  at,
});

/** The verdict given the winning claim on the article's content hash. */
export function exactVerdict(articleId: string, winner: FingerprintClaim): DedupeVerdict {
  if (winner.articleId === articleId) {
    return { clusterId: winner.clusterId, duplicateOf: null, similarity: null, duplicateKind: null };
  }
  return {
    clusterId: winner.clusterId,
    duplicateOf: winner.articleId,
    similarity: 1,
    duplicateKind: 'exact',
  };
}
