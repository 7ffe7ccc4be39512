/**
 * Near-duplicate decisions, pure. An article's MinHash signature is cut into LSH bands; each
 * band is a bucket in the Fingerprints table owned by the first article that claimed it, and the
 * bucket entry carries that owner's signature and cluster decision. So one batch read of the
 * article's buckets yields verified candidates without a second round trip, whatever the table
 * size. The I/O protocol around these functions is in `shared/steps/near-cluster.ts`.
 */
import { bandKeys, bandOf } from './lsh.ts';
import {
  decodeSignature,
  encodeSignature,
  estimateContainment,
  estimateJaccard,
  minhash,
} from './minhash.ts';
import { shingle } from './shingles.ts';

/** What a near-duplicate bucket records about its owner, the first article that claimed it. */
export interface NearEntry {
  readonly articleId: string;
  /** The owner's story cluster. */
  readonly clusterId: string;
  /** The article the owner matched when it joined a cluster; null when it started the cluster. */
  readonly duplicateOf: string | null;
  readonly similarity: number | null;
  /** The owner's site (see {@link siteOf}): articles of one site are held to a stricter bar. */
  readonly site: string;
  /** When the owner was ingested (ISO 8601): "earliest" means smallest `at`, then smallest id. */
  readonly at: string;
  /** Distinct shingles of the owner's text, for the containment estimate. */
  readonly shingleCount: number;
  /** The owner's MinHash signature ({@link encodeSignature}). */
  readonly signature: string;
}

/** The article being deduplicated, fingerprinted. */
export interface NearSubject {
  readonly articleId: string;
  readonly site: string;
  readonly at: string;
  readonly shingleCount: number;
  readonly signature: Uint32Array;
  /** Its LSH bucket keys, in band order. */
  readonly keys: readonly string[];
}

/** A cluster decision: the story cluster an article belongs to and what it matched. */
export interface NearDecision {
  readonly clusterId: string;
  /** The earliest article it matched; null when it starts its own cluster. */
  readonly duplicateOf: string | null;
  /** Estimated similarity to `duplicateOf` (Jaccard, or containment for excerpts). */
  readonly similarity: number | null;
}

/** When two texts count as the same story. */
export interface NearThresholds {
  /** Estimated Jaccard at or above which two texts of different sites match. */
  readonly jaccard: number;
  /** Estimated containment of the shorter text in the longer at or above which they match. */
  readonly containment: number;
  /** Containment counts only when the shorter has at least this share of the longer's shingles. */
  readonly minContainmentRatio: number;
  /**
   * Estimated Jaccard needed between two articles of the same site. Different articles of one
   * site share its boilerplate and house phrases, so only a near-identical text counts there,
   * and containment never does.
   */
  readonly sameSiteJaccard: number;
  /** Texts with fewer distinct shingles get no near-duplicate lookup (exact only). */
  readonly minShingles: number;
}

/** Defaults chosen on the labelled pair set (docs/QUALITY.md "Near-duplicates"). */
export const DEFAULT_THRESHOLDS: NearThresholds = {
  jaccard: 0.5,
  containment: 0.8,
  minContainmentRatio: 0.3,
  sameSiteJaccard: 0.9,
  minShingles: 10,
};

/**
 * The site an article belongs to, for the same-site rule: the canonical URL's host without
 * `www.`, else the outlet's site name, else the upload source.
 */
export function siteOf(article: {
  readonly canonicalUrl: string | null;
  readonly siteName: string | null;
  readonly provenance: { readonly source: string };
}): string {
  if (article.canonicalUrl) {
    try {
      return new URL(article.canonicalUrl).hostname.toLowerCase().replace(/^www\./, '');
    } catch {
      // An unparsable URL says nothing about the site; fall through.
    }
  }
  if (article.siteName) return article.siteName.trim().toLowerCase();
  return `source:${article.provenance.source}`;
}

/** What {@link fingerprint} reads of an article. */
export interface FingerprintInput {
  readonly articleId: string;
  readonly text: string;
  readonly site: string;
  readonly at: string;
}

/** Fingerprint a text for the near-duplicate index; null when it is too short to compare. */
export function fingerprint(
  input: FingerprintInput,
  thresholds: NearThresholds = DEFAULT_THRESHOLDS,
): NearSubject | null {
  const shingles = shingle(input.text);
  if (shingles.count < thresholds.minShingles) return null;
  const signature = minhash(shingles);
  return {
    articleId: input.articleId,
    site: input.site,
    at: input.at,
    shingleCount: shingles.count,
    signature,
    keys: bandKeys(signature),
  };
}

/** The bucket entry a subject writes for `decision`. */
export function entryFor(subject: NearSubject, decision: NearDecision): NearEntry {
  return {
    articleId: subject.articleId,
    clusterId: decision.clusterId,
    duplicateOf: decision.duplicateOf,
    similarity: decision.similarity,
    site: subject.site,
    at: subject.at,
    shingleCount: subject.shingleCount,
    signature: encodeSignature(subject.signature),
  };
}

/** Similarity of a subject and a bucket owner, and whether it makes them one story. */
export function compare(
  subject: NearSubject,
  entry: NearEntry,
  thresholds: NearThresholds = DEFAULT_THRESHOLDS,
): { readonly matches: boolean; readonly similarity: number } {
  const jaccard = estimateJaccard(subject.signature, decodeSignature(entry.signature));
  if (subject.site === entry.site) {
    return { matches: jaccard >= thresholds.sameSiteJaccard, similarity: round(jaccard) };
  }
  const ratio =
    Math.min(subject.shingleCount, entry.shingleCount) /
    Math.max(subject.shingleCount, entry.shingleCount, 1);
  const containment =
    ratio >= thresholds.minContainmentRatio
      ? estimateContainment(jaccard, subject.shingleCount, entry.shingleCount)
      : 0;
  return {
    matches: jaccard >= thresholds.jaccard || containment >= thresholds.containment,
    similarity: round(Math.max(jaccard, containment)),
  };
}

/** The subject's decision when nothing matches: it starts its own cluster. */
export const ownCluster = (subject: NearSubject): NearDecision => ({
  clusterId: subject.articleId,
  duplicateOf: null,
  similarity: null,
});

/**
 * Decide from the entries found in the subject's buckets. An entry of the subject itself means
 * it was decided before (a redelivery, or a new version of the same article): that decision
 * stands, so an article is never a duplicate of itself and keeps its cluster across versions.
 * Otherwise it joins the cluster of the earliest matching owner, or starts its own.
 */
export function decide(
  subject: NearSubject,
  found: ReadonlyMap<string, NearEntry>,
  thresholds: NearThresholds = DEFAULT_THRESHOLDS,
): NearDecision & { readonly decidedBefore: boolean } {
  const own = [...found.values()].find((e) => e.articleId === subject.articleId);
  if (own) {
    return {
      clusterId: own.clusterId,
      duplicateOf: own.duplicateOf,
      similarity: own.similarity,
      decidedBefore: true,
    };
  }
  const best = earliestMatch(subject, [...found.values()], thresholds);
  return {
    ...(best ? joinDecision(best.entry, best.similarity) : ownCluster(subject)),
    decidedBefore: false,
  };
}

/**
 * Settle a race. The subject decided to start its own cluster, then found some of its buckets
 * claimed by others between its read and its writes. `owners` maps each of its bucket keys it
 * does not own to the owner's entry (from the first read or from the failed claim); a bucket's
 * owner never changes once claimed, so both sides of a race see the same owners. For each
 * matching racer that also started its own cluster, both look at the lowest band their keys share
 * and one of them owns: the owner of that band keeps its cluster and the other joins it. A racer
 * that had joined an existing cluster is joined outright. Returns the new decision, or null when
 * the subject keeps its own cluster.
 */
export function settleRace(
  subject: NearSubject,
  owners: ReadonlyMap<string, NearEntry>,
  thresholds: NearThresholds = DEFAULT_THRESHOLDS,
): NearDecision | null {
  const joinable: { entry: NearEntry; similarity: number }[] = [];
  for (const entry of uniqueOwners(subject, owners)) {
    // A racer that already joined the subject's own cluster is settled.
    if (entry.clusterId === subject.articleId) continue;
    const { matches, similarity } = compare(subject, entry, thresholds);
    if (!matches) continue;
    if (entry.duplicateOf !== null) {
      joinable.push({ entry, similarity });
      continue;
    }
    const theirKeys = bandKeys(decodeSignature(entry.signature));
    const arbiter = subject.keys.find((key) => {
      if (theirKeys[bandOf(key)] !== key) return false;
      const owner = owners.get(key)?.articleId ?? subject.articleId;
      return owner === subject.articleId || owner === entry.articleId;
    });
    if (arbiter !== undefined && owners.get(arbiter)?.articleId === entry.articleId) {
      joinable.push({ entry, similarity });
    }
  }
  const best = earliest(joinable);
  return best ? joinDecision(best.entry, best.similarity) : null;
}

function earliestMatch(
  subject: NearSubject,
  entries: readonly NearEntry[],
  thresholds: NearThresholds,
): { entry: NearEntry; similarity: number } | null {
  const matches: { entry: NearEntry; similarity: number }[] = [];
  for (const entry of uniqueOwners(subject, new Map(entries.map((e, i) => [String(i), e])))) {
    const { matches: ok, similarity } = compare(subject, entry, thresholds);
    if (ok) matches.push({ entry, similarity });
  }
  return earliest(matches);
}

function uniqueOwners(subject: NearSubject, entries: ReadonlyMap<string, NearEntry>): NearEntry[] {
  const byId = new Map<string, NearEntry>();
  for (const e of entries.values()) if (e.articleId !== subject.articleId) byId.set(e.articleId, e);
  return [...byId.values()];
}

function earliest<T extends { entry: NearEntry }>(items: readonly T[]): T | null {
  let best: T | null = null;
  for (const item of items) {
    if (
      best === null ||
      item.entry.at < best.entry.at ||
      (item.entry.at === best.entry.at && item.entry.articleId < best.entry.articleId)
    ) {
      best = item;
    }
  }
  return best;
}

const joinDecision = (entry: NearEntry, similarity: number): NearDecision => ({
  clusterId: entry.clusterId,
  duplicateOf: entry.articleId,
  similarity,
});

const round = (x: number): number => Math.round(x * 1000) / 1000;
