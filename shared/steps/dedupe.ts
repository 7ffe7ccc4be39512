/**
 * The dedupe step over ports: exact duplicates through a conditional claim on the content hash
 * (race-free: two concurrent uploads of one text get one cluster), then any further stages
 * (near-duplicates) for articles that are not exact copies. Policy `link` forwards duplicates
 * marked with their cluster; `drop` records them and stops.
 */
import { type DedupeVerdict, exactKey, exactVerdict, ownClaim } from '../domain/dedupe/exact.ts';
import type { ArticleRef, Deduped } from '../domain/messages.ts';
import type { StepDeps } from '../runtime.ts';
import type { StepLog } from './record-log.ts';

/**
 * A stage after the exact check, run only for articles that are not exact duplicates: given the
 * verdict so far it returns the final one (e.g. joining a near-duplicate's cluster).
 */
export type DedupeStage = (ref: ArticleRef, verdict: DedupeVerdict, deps: StepDeps) => Promise<DedupeVerdict>;

export type DedupeOutcome =
  | { readonly tag: 'forward'; readonly message: Deduped }
  | { readonly tag: 'dropped'; readonly verdict: DedupeVerdict };

/** Decide whether `ref` duplicates an article seen before, and what to do about it. */
export async function dedupeArticle(
  ref: ArticleRef,
  deps: StepDeps,
  stages: readonly DedupeStage[] = [],
  log: StepLog = deps.logger,
): Promise<DedupeOutcome> {
  const at = deps.now().toISOString();
  const winner = await deps.fingerprints.claim(exactKey(ref.contentHash), ownClaim(ref.articleId, at));
  let verdict = exactVerdict(ref.articleId, winner);
  for (const stage of stages) {
    if (verdict.duplicateOf !== null) break;
    verdict = await stage(ref, verdict, deps);
  }
  if (verdict.duplicateOf !== null) log.info('Duplicate', { ...verdict });

  if (verdict.duplicateOf !== null && deps.settings.duplicatePolicy === 'drop') {
    await deps.ingestions.record({
      rawKey: ref.provenance.rawKey,
      line: ref.provenance.line,
      articleId: ref.articleId,
      outcome: 'duplicate',
      reason: `${verdict.duplicateKind ?? 'exact'} duplicate of ${verdict.duplicateOf}; dropped (duplicate policy "drop")`,
      step: 'dedupe',
      at,
      sequencer: ref.provenance.sequencer,
    });
    return { tag: 'dropped', verdict };
  }
  return { tag: 'forward', message: { ...ref, ...verdict } };
}
