/**
 * {@link NearBuckets} on the Fingerprints table: one item per LSH bucket (`pk` = bucket key,
 * `sk` = {@link NEAR_SK}) holding its owner's entry, and one item per owner holding its MinHash
 * signature (`pk` = {@link signatureKey}), written in the same call as its buckets. The
 * signature is most of an entry's bytes and is read only for the owners a lookup finds, so
 * keeping one copy per article instead of one per bucket cut the bucket items to a fifth of
 * their size (and the local pipeline's CPU by about a tenth, docs/PERFORMANCE.md). Buckets
 * written before that carry their owner's signature inline, and it is used. Reads are one
 * strongly consistent BatchGetItem for all of an article's buckets; writes are BatchWriteItem
 * calls of 25 items (one for an article's 21 buckets and its signature), not one conditional put
 * per bucket: 42 conditional puts were most of the dedupe step's cost, and the protocol reads
 * its buckets back to catch the rare race.
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NearEntry } from '../../domain/dedupe/near.ts';
import { DependencyError } from '../../errors.ts';
import type { NearBuckets } from '../../ports/index.ts';
import { rawClientOf } from './clients.ts';
import { dynamo, isConditionFailed } from './dynamo-support.ts';

/** Sort key of near-duplicate bucket items. */
export const NEAR_SK = 'near';

/** BatchGetItem takes at most 100 keys per call. */
const BATCH_GET_MAX = 100;

/** BatchWriteItem takes at most 25 requests per call. */
const BATCH_WRITE_MAX = 25;

/**
 * How long to wait before reading again the signature of an owner found without one: its
 * buckets and signature are written by one BatchWriteItem, whose items land in any order.
 */
const SIGNATURE_RETRY_MS = 100;

/** Key of the item holding `articleId`'s MinHash signature. */
export const signatureKey = (articleId: string): string => `near-sig#${articleId}`;

/** Retries of unprocessed items (throttling) before giving up with a retryable error. */
const MAX_UNPROCESSED_ATTEMPTS = 8;

type Item = Record<string, AttributeValue>;

/**
 * The reads and writes here are the most frequent DynamoDB calls of the pipeline (21 items each
 * way per new article), so they build and read attribute values directly instead of going
 * through the document client's generic marshalling, which was ≈ 10 % of the pipeline's CPU in
 * `newsflow run` (docs/PERFORMANCE.md). The items are the same either way.
 */
export class DynamoNearBuckets implements NearBuckets {
  /** Where the bucket batches go: they are low-level commands ({@link rawClientOf}). */
  private readonly raw: DynamoDBClient;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {
    this.raw = rawClientOf(doc);
  }

  /**
   * Reads asked for in the same turn of the event loop go out together: the records of a batch
   * run concurrently (and, locally, every step's invocations share this adapter), so under load
   * several articles' bucket reads share one BatchGetItem of up to 100 keys instead of one call
   * each. Each article's keys stay in one call, so a failed call fails only the articles in it.
   */
  private readonly entryReads = new ReadCoalescer((keys) => this.read(keys, null));
  private readonly ownerReads = new ReadCoalescer((keys) => this.read(keys, '#pk, #a'));

  async getNearEntries(keys: readonly string[]): Promise<ReadonlyMap<string, NearEntry>> {
    const items = await this.entryReads.read(keys);
    const needed = new Set<string>();
    for (const item of items.values()) if (!item.signature) needed.add(str(item.articleId));
    const signatures = await this.signatures(needed);
    const found = new Map<string, NearEntry>();
    for (const [pk, item] of items) {
      found.set(pk, toEntry(item, str(item.signature) || signatures.get(str(item.articleId)) || ''));
    }
    return found;
  }

  /**
   * The signatures of `owners`, read once more after a pause for any not found: an owner's
   * buckets can land before its signature. One still missing then is left out, so its buckets
   * count as no match: the race the protocol's read-back settles, as for a bucket in flight.
   */
  private async signatures(owners: ReadonlySet<string>): Promise<ReadonlyMap<string, string>> {
    const found = new Map<string, string>();
    let missing = [...owners];
    for (let attempt = 0; missing.length > 0 && attempt < 2; attempt += 1) {
      if (attempt > 0) await sleep(SIGNATURE_RETRY_MS);
      const items = await this.entryReads.read(missing.map(signatureKey));
      for (const id of missing) {
        const signature = str(items.get(signatureKey(id))?.signature);
        if (signature) found.set(id, signature);
      }
      missing = missing.filter((id) => !found.has(id));
    }
    return found;
  }

  async getNearOwners(keys: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const owners = new Map<string, string>();
    for (const [pk, item] of await this.ownerReads.read(keys)) owners.set(pk, str(item.articleId));
    return owners;
  }

  /** One strongly consistent BatchGetItem of at most {@link BATCH_GET_MAX} distinct keys, retried until processed. */
  private async read(keys: readonly string[], projection: string | null): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    await untilProcessed('bucket reads', keys.map(bucketKey), async (pending) => {
      const out = await dynamo('reading near-duplicate buckets', () =>
        this.raw.send(
          new BatchGetItemCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: pending,
                ConsistentRead: true,
                ...(projection
                  ? {
                      ProjectionExpression: projection,
                      ExpressionAttributeNames: { '#pk': 'pk', '#a': 'articleId' },
                    }
                  : {}),
              },
            },
          }),
        ),
      );
      for (const item of out.Responses?.[this.tableName] ?? []) found.set(str(item.pk), item);
      return out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    });
    return found;
  }

  async putNearEntries(keys: readonly string[], entry: NearEntry): Promise<void> {
    const attributes = entryAttributes(entry);
    const puts: WriteRequest[] = [
      {
        PutRequest: {
          Item: { ...bucketKey(signatureKey(entry.articleId)), signature: { S: entry.signature } },
        },
      },
      ...[...new Set(keys)].map((pk) => ({ PutRequest: { Item: { ...bucketKey(pk), ...attributes } } })),
    ];
    const writes = [];
    for (let i = 0; i < puts.length; i += BATCH_WRITE_MAX) {
      writes.push(this.writeBatch(puts.slice(i, i + BATCH_WRITE_MAX)));
    }
    await Promise.all(writes);
  }

  private writeBatch(puts: WriteRequest[]): Promise<void> {
    return untilProcessed('bucket writes', puts, async (pending) => {
      const out = await dynamo('writing near-duplicate buckets', () =>
        this.raw.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } })),
      );
      return out.UnprocessedItems?.[this.tableName] ?? [];
    });
  }

  async updateNear(key: string, entry: NearEntry): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: key, sk: NEAR_SK },
          UpdateExpression: 'SET clusterId = :c, duplicateOf = :d, similarity = :s',
          ConditionExpression: 'articleId = :a',
          ExpressionAttributeValues: {
            ':c': entry.clusterId,
            ':d': entry.duplicateOf,
            ':s': entry.similarity,
            ':a': entry.articleId,
          },
        }),
      );
    } catch (error) {
      // Not ours (any more): nothing to rewrite.
      if (isConditionFailed(error)) return;
      throw new DependencyError(`DynamoDB: updating bucket ${key} failed`, { cause: error });
    }
  }
}

interface ReadRequest {
  readonly keys: readonly string[];
  resolve(found: ReadonlyMap<string, Item>): void;
  reject(error: unknown): void;
}

/**
 * Collects the bucket reads asked for until the event loop's next check phase and sends them as
 * few calls as the 100-key limit allows, packing whole requests (a request of more than 100 keys
 * is split across calls of its own). Each request gets exactly the items of its own keys.
 */
export class ReadCoalescer {
  private waiting: ReadRequest[] = [];

  constructor(private readonly send: (keys: readonly string[]) => Promise<ReadonlyMap<string, Item>>) {}

  read(keys: readonly string[]): Promise<ReadonlyMap<string, Item>> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ keys: [...new Set(keys)], resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const requests = this.waiting;
    this.waiting = [];
    let group: ReadRequest[] = [];
    let groupKeys = new Set<string>();
    const sendGroup = (): void => {
      if (group.length > 0) void this.answer(group, [...groupKeys]);
      group = [];
      groupKeys = new Set();
    };
    for (const request of requests) {
      if (request.keys.length > BATCH_GET_MAX) {
        void this.answerAlone(request);
        continue;
      }
      const added = request.keys.filter((k) => !groupKeys.has(k)).length;
      if (groupKeys.size + added > BATCH_GET_MAX) sendGroup();
      group.push(request);
      for (const k of request.keys) groupKeys.add(k);
    }
    sendGroup();
  }

  private async answer(requests: readonly ReadRequest[], keys: readonly string[]): Promise<void> {
    try {
      const found = await this.send(keys);
      for (const r of requests) r.resolve(pick(found, r.keys));
    } catch (error) {
      for (const r of requests) r.reject(error);
    }
  }

  private async answerAlone(request: ReadRequest): Promise<void> {
    try {
      const found = new Map<string, Item>();
      for (let i = 0; i < request.keys.length; i += BATCH_GET_MAX) {
        for (const [k, item] of await this.send(request.keys.slice(i, i + BATCH_GET_MAX))) found.set(k, item);
      }
      request.resolve(found);
    } catch (error) {
      request.reject(error);
    }
  }
}

const pick = (found: ReadonlyMap<string, Item>, keys: readonly string[]): Map<string, Item> => {
  const mine = new Map<string, Item>();
  for (const k of keys) {
    const item = found.get(k);
    if (item) mine.set(k, item);
  }
  return mine;
};

const bucketKey = (pk: string): Item => ({ pk: { S: pk }, sk: { S: NEAR_SK } });

const str = (value: AttributeValue | undefined): string => (value && 'S' in value ? String(value.S) : '');

/**
 * The entry's attributes as the document client would marshal them (null as NULL), without the
 * signature, which has an item of its own ({@link signatureKey}).
 */
function entryAttributes(entry: NearEntry): Item {
  return {
    articleId: { S: entry.articleId },
    clusterId: { S: entry.clusterId },
    duplicateOf: entry.duplicateOf === null ? { NULL: true } : { S: entry.duplicateOf },
    similarity: entry.similarity === null ? { NULL: true } : { N: String(entry.similarity) },
    site: { S: entry.site },
    at: { S: entry.at },
    shingleCount: { N: String(entry.shingleCount) },
  };
}

function toEntry(item: Item, signature: string): NearEntry {
  const duplicateOf = item.duplicateOf;
  const similarity = item.similarity;
  return {
    articleId: str(item.articleId),
    clusterId: str(item.clusterId),
    duplicateOf: duplicateOf && 'S' in duplicateOf ? String(duplicateOf.S) : null,
    similarity: similarity && 'N' in similarity ? Number(similarity.N) : null,
    site: str(item.site),
    at: str(item.at),
    shingleCount: Number(item.shingleCount && 'N' in item.shingleCount ? item.shingleCount.N : 0),
    signature,
  };
}

/**
 * Send `requests` with `send` until DynamoDB has processed them all: a batch call returns what it
 * left unprocessed (under throttling), which is sent again after a short backoff.
 */
async function untilProcessed<R>(
  what: string,
  requests: R[],
  send: (pending: R[]) => Promise<R[]>,
): Promise<void> {
  let pending = requests;
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
    if (attempt > MAX_UNPROCESSED_ATTEMPTS)
      throw new DependencyError(`DynamoDB: ${pending.length} ${what} left unprocessed`);
    pending = await send(pending);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
