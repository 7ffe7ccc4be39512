/**
 * The near-duplicate protocol over {@link NearBuckets}: read the article's LSH buckets in one
 * batch, decide from the owners found, claim the empty buckets with conditional writes, and
 * settle a race if another article claimed some of them in between. Steady-state cost per
 * article: one BatchGetItem of {@link BANDS} keys and one conditional put per empty bucket,
 * whatever the table size. Races add one batch read and a few updates.
 */
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

/** Put `subject` in its story cluster: the earliest matching article's, or a new one. */
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
  const entry = entryFor(subject, decision);
  const results = await Promise.all(empty.map(async (k) => [k, await buckets.claimNear(k, entry)] as const));
  const lost = results.filter(([, r]) => r === 'taken').map(([k]) => k);
  // Only an article that started its own cluster can have raced into a split: one that joined an
  // existing cluster carries a decision every racer also sees.
  if (lost.length === 0 || first.decidedBefore || decision.duplicateOf !== null) {
    return { ...decision, raced: false };
  }
  const winners = await buckets.getNearEntries(lost);
  const owners = new Map<string, NearEntry>([...found, ...winners]);
  const settled = settleRace(subject, owners, thresholds);
  if (!settled) return { ...decision, raced: false };
  const won = results.filter(([, r]) => r === 'claimed').map(([k]) => k);
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
    const subject = fingerprint(
      { articleId: ref.articleId, text: article.text, site: siteOf(article), at: ref.provenance.ingestedAt },
      thresholds,
    );
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
