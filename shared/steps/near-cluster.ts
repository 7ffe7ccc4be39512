/** The near-duplicate protocol over the Fingerprints buckets, and the dedupe stage that runs it. */
import { exactKey } from '../domain/dedupe/exact.ts';
import {
  DEFAULT_THRESHOLDS,
  decide,
  entryFor,
  fingerprint,
  type NearDecision,
  type NearEntry,
  type NearSubject,
  type NearThresholds,
  settleRace,
  siteOf,
} from '../domain/dedupe/near.ts';
import type { NearBuckets } from '../ports/index.ts';
import { loadArticle } from './claim-check.ts';
import type { DedupeStage } from './dedupe.ts';

/** The decision, and whether a concurrent claim changed it. */
export interface NearOutcome extends NearDecision {
  readonly raced: boolean;
}

/**
 * Put `subject` in its story cluster, the earliest matching article's or a new one: read the
 * article's LSH buckets in one batch, decide from the owners found, write the article's entry to
 * the empty buckets in batches, and, when it started its own cluster, read those buckets back to
 * catch a race. Steady-state cost per new article: two BatchGetItem calls of its 21 bucket keys
 * and one BatchWriteItem call, whatever the table size (it was 42 conditional puts).
 *
 * Races: two near-duplicates processed at the same moment both find their shared buckets empty
 * and both write them; the last writer's entry stays. Each reads its buckets back after writing,
 * so when the read-backs come after both writes (the usual interleaving: a write and a read each
 * take one round trip) both see the same owners and settle the split the same way: the owner of
 * the lowest shared band keeps its cluster and the other joins it. The read-back misses the race
 * only when one article's write and read-back both land between the other's first read and its
 * write (a stall of a round trip between two consecutive calls); the two stories then stay two
 * clusters. Nothing is lost or doubled either way: this decides cluster ids, not storage.
 */
export async function assignNearCluster(
  buckets: NearBuckets,
  subject: NearSubject,
  thresholds: NearThresholds = DEFAULT_THRESHOLDS,
): Promise<NearOutcome> {
  const found = await buckets.getNearEntries(subject.keys);
  const first = decide(subject, found, thresholds);
  const decision: NearDecision = {
    clusterId: first.clusterId,
    duplicateOf: first.duplicateOf,
    similarity: first.similarity,
  };
  const empty = subject.keys.filter((k) => !found.has(k));
  if (empty.length > 0) await buckets.putNearEntries(empty, entryFor(subject, decision));
  // Only an article that started its own cluster can have raced into a split: one that joined an
  // existing cluster carries a decision every racer also sees.
  if (empty.length === 0 || first.decidedBefore || decision.duplicateOf !== null) {
    return { ...decision, raced: false };
  }
  // The read-back asks for owners only (most of an entry is its signature); the entries of the
  // buckets a racer took are read in full only when there was a race.
  const ownerOf = await buckets.getNearOwners(empty);
  const won: string[] = [];
  const lost: string[] = [];
  for (const k of empty) (ownerOf.get(k) === subject.articleId ? won : lost).push(k);
  if (lost.length === 0) return { ...decision, raced: false };
  const after = await buckets.getNearEntries(lost);
  const owners = new Map<string, NearEntry>([...found, ...after]);
  const settled = settleRace(subject, owners, thresholds);
  if (!settled) return { ...decision, raced: false };
  const updated = entryFor(subject, settled);
  await Promise.all(won.map((k) => buckets.updateNear(k, updated)));
  return { ...settled, raced: true };
}

/**
 * The near-duplicate stage of the dedupe step (runs only when the article is not an exact copy):
 * reads the claim check, fingerprints the text and joins the story cluster. When it joins another
 * cluster, the article's exact-content claim is pointed at that cluster too, so a later exact copy
 * of this text lands in the same story.
 */
export function nearDuplicateStage(thresholds: NearThresholds = DEFAULT_THRESHOLDS): DedupeStage {
  return async (ref, verdict, deps) => {
    const article = await loadArticle(deps.blobs, ref);
    const input = {
      articleId: ref.articleId,
      text: article.text,
      site: siteOf(article),
      at: ref.provenance.ingestedAt,
    };
    const subject = deps.domain
      ? await deps.domain.fingerprint(input, thresholds)
      : fingerprint(input, thresholds);
    if (!subject) return verdict;
    const near = await assignNearCluster(deps.fingerprints, subject, thresholds);
    if (near.clusterId !== verdict.clusterId) {
      await deps.fingerprints.setClaimCluster(exactKey(ref.contentHash), ref.articleId, near.clusterId);
    }
    if (near.duplicateOf === null) return { ...verdict, clusterId: near.clusterId };
    return {
      clusterId: near.clusterId,
      duplicateOf: near.duplicateOf,
      similarity: near.similarity,
      duplicateKind: 'near',
    };
  };
}
