/**
 * The store step's decisions, pure: how an incoming item meets the one already stored under its
 * id, and what that means for the ingestion record. The DynamoDB adapter applies a decision with
 * a conditional write and, when it loses a race, reads again and re-decides.
 */
import type { ArticleItem } from '../item.ts';
import type { IngestionOutcome } from '../outcomes.ts';
import { compareSequencers } from '../sequencer.ts';

/** How many earlier content hashes an item remembers (each is 64 characters of the 400 KB item). */
export const MAX_PREVIOUS_HASHES = 200;

export type UpsertDecision =
  | { readonly tag: 'create'; readonly item: ArticleItem }
  | { readonly tag: 'update'; readonly item: ArticleItem; readonly expectedVersion: number }
  | { readonly tag: 'unchanged'; readonly existing: ArticleItem };

/** Same raw object, same line, same upload event: a redelivery of one message. */
export const sameDelivery = (a: ArticleItem, b: ArticleItem): boolean =>
  a.rawKey === b.rawKey && a.line === b.line && a.sequencer === b.sequencer;

/**
 * Decide what storing `incoming` does, given what is stored (`existing`, null when nothing).
 * Content already seen (current or an earlier version) changes nothing; so does an older upload
 * of the same raw key arriving after a newer one (S3 events can come out of order).
 */
export function decideUpsert(existing: ArticleItem | null, incoming: ArticleItem): UpsertDecision {
  if (existing === null) {
    return { tag: 'create', item: { ...incoming, version: 1, previousContentHashes: [] } };
  }
  const seen =
    existing.contentHash === incoming.contentHash ||
    existing.previousContentHashes.includes(incoming.contentHash);
  const olderUploadOfSameKey =
    existing.rawKey === incoming.rawKey &&
    existing.line === incoming.line &&
    compareSequencers(incoming.sequencer, existing.sequencer) < 0;
  if (seen || olderUploadOfSameKey) return { tag: 'unchanged', existing };
  return {
    tag: 'update',
    expectedVersion: existing.version,
    item: {
      ...incoming,
      version: existing.version + 1,
      previousContentHashes: [...existing.previousContentHashes, existing.contentHash].slice(
        -MAX_PREVIOUS_HASHES,
      ),
    },
  };
}

/**
 * The ingestion outcome for storing `incoming`. A redelivery of the very message that created
 * or last updated the item reports what that first delivery did, not `unchanged`.
 */
export function ingestionOutcome(
  result:
    | { readonly tag: 'created' }
    | { readonly tag: 'updated' }
    | { readonly tag: 'unchanged'; readonly existing: ArticleItem },
  incoming: ArticleItem,
): IngestionOutcome {
  if (result.tag === 'created') return incoming.duplicateOf ? 'duplicate' : 'stored';
  if (result.tag === 'updated') return 'version';
  const { existing } = result;
  if (!sameDelivery(existing, incoming)) return 'unchanged';
  if (existing.version > 1) return 'version';
  return existing.duplicateOf ? 'duplicate' : 'stored';
}
