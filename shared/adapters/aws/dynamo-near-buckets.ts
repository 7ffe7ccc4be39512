/**
 * {@link NearBuckets} on the Fingerprints table: one item per LSH bucket (`pk` = bucket key,
 * `sk` = {@link NEAR_SK}) holding its owner's entry. Reads are one strongly consistent
 * BatchGetItem for all of an article's buckets; writes are BatchWriteItem calls of 25 buckets
 * (two for an article's 42), not one conditional put per bucket: 42 conditional puts were most
 * of the dedupe step's cost, and the protocol reads its buckets back to catch the rare race.
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NearEntry } from '../../domain/dedupe/near.ts';
import { DependencyError } from '../../errors.ts';
import type { NearBuckets } from '../../ports/index.ts';
import { dynamo, isConditionFailed } from './dynamo-support.ts';

/** Sort key of near-duplicate bucket items. */
export const NEAR_SK = 'near';

/** BatchGetItem takes at most 100 keys per call. */
const BATCH_GET_MAX = 100;

/** BatchWriteItem takes at most 25 requests per call. */
const BATCH_WRITE_MAX = 25;

/** Retries of unprocessed items (throttling) before giving up with a retryable error. */
const MAX_UNPROCESSED_ATTEMPTS = 8;

type Item = Record<string, AttributeValue>;

/**
 * The reads and writes here are the most frequent DynamoDB calls of the pipeline (42 items each
 * way per new article), so they build and read attribute values directly instead of going
 * through the document client's generic marshalling, which was ≈ 10 % of the pipeline's CPU in
 * `newsflow run` (docs/PERFORMANCE.md). The items are the same either way.
 */
export class DynamoNearBuckets implements NearBuckets {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async getNearEntries(keys: readonly string[]): Promise<ReadonlyMap<string, NearEntry>> {
    const found = new Map<string, NearEntry>();
    await this.read(keys, null, (item) => found.set(str(item.pk), toEntry(item)));
    return found;
  }

  async getNearOwners(keys: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const owners = new Map<string, string>();
    await this.read(keys, '#pk, #a', (item) => owners.set(str(item.pk), str(item.articleId)));
    return owners;
  }

  private async read(
    keys: readonly string[],
    projection: string | null,
    onItem: (item: Item) => void,
  ): Promise<void> {
    for (let i = 0; i < keys.length; i += BATCH_GET_MAX) {
      const keysOfChunk: Item[] = [...new Set(keys.slice(i, i + BATCH_GET_MAX))].map(bucketKey);
      await untilProcessed('bucket reads', keysOfChunk, async (pending) => {
        const out = await dynamo('reading near-duplicate buckets', () =>
          this.doc.send(
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
        for (const item of out.Responses?.[this.tableName] ?? []) onItem(item);
        return out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      });
    }
  }

  async putNearEntries(keys: readonly string[], entry: NearEntry): Promise<void> {
    const unique = [...new Set(keys)];
    const attributes = entryAttributes(entry);
    const writes = [];
    for (let i = 0; i < unique.length; i += BATCH_WRITE_MAX) {
      writes.push(this.writeBatch(unique.slice(i, i + BATCH_WRITE_MAX), attributes));
    }
    await Promise.all(writes);
  }

  private writeBatch(keys: readonly string[], attributes: Item): Promise<void> {
    const puts: WriteRequest[] = keys.map((pk) => ({
      PutRequest: { Item: { ...bucketKey(pk), ...attributes } },
    }));
    return untilProcessed('bucket writes', puts, async (pending) => {
      const out = await dynamo('writing near-duplicate buckets', () =>
        this.doc.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } })),
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

const bucketKey = (pk: string): Item => ({ pk: { S: pk }, sk: { S: NEAR_SK } });

const str = (value: AttributeValue | undefined): string => (value && 'S' in value ? String(value.S) : '');

/** The entry's attributes as the document client would marshal them (null as NULL). */
function entryAttributes(entry: NearEntry): Item {
  return {
    articleId: { S: entry.articleId },
    clusterId: { S: entry.clusterId },
    duplicateOf: entry.duplicateOf === null ? { NULL: true } : { S: entry.duplicateOf },
    similarity: entry.similarity === null ? { NULL: true } : { N: String(entry.similarity) },
    site: { S: entry.site },
    at: { S: entry.at },
    shingleCount: { N: String(entry.shingleCount) },
    signature: { S: entry.signature },
  };
}

function toEntry(item: Item): NearEntry {
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
    signature: str(item.signature),
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
