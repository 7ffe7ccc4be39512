/**
 * {@link NearBuckets} on the Fingerprints table: one item per LSH bucket (`pk` = bucket key,
 * `sk` = {@link NEAR_SK}) holding its owner's entry. Reads are one strongly consistent
 * BatchGetItem for all of an article's buckets; writes are BatchWriteItem calls of 25 buckets
 * (two for an article's 42), not one conditional put per bucket: 42 conditional puts were most
 * of the dedupe step's cost, and the protocol reads its buckets back to catch the rare race.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { NearEntry } from '../../domain/dedupe/near.ts';
import { DependencyError } from '../../errors.ts';
import type { NearBuckets } from '../../ports/index.ts';
import { dynamo, isConditionFailed } from './dynamo-support.ts';

/** Sort key of near-duplicate bucket items. */
export const NEAR_SK = 'near';

/** BatchGetItem takes at most 100 keys per call. */
const BATCH_GET_MAX = 100;

type WriteRequests = NonNullable<BatchWriteCommandInput['RequestItems']>[string];

/** BatchWriteItem takes at most 25 requests per call. */
const BATCH_WRITE_MAX = 25;

/** Retries of unprocessed items (throttling) before giving up with a retryable error. */
const MAX_UNPROCESSED_ATTEMPTS = 8;

export class DynamoNearBuckets implements NearBuckets {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async getNearEntries(keys: readonly string[]): Promise<ReadonlyMap<string, NearEntry>> {
    const found = new Map<string, NearEntry>();
    for (let i = 0; i < keys.length; i += BATCH_GET_MAX) {
      const keysOfChunk: Record<string, unknown>[] = [...new Set(keys.slice(i, i + BATCH_GET_MAX))].map(
        (pk) => ({ pk, sk: NEAR_SK }),
      );
      await untilProcessed('bucket reads', keysOfChunk, async (pending) => {
        const out = await dynamo('reading near-duplicate buckets', () =>
          this.doc.send(
            new BatchGetCommand({
              RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
            }),
          ),
        );
        for (const item of out.Responses?.[this.tableName] ?? []) found.set(String(item.pk), toEntry(item));
        return out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      });
    }
    return found;
  }

  async putNearEntries(keys: readonly string[], entry: NearEntry): Promise<void> {
    const unique = [...new Set(keys)];
    const writes = [];
    for (let i = 0; i < unique.length; i += BATCH_WRITE_MAX) {
      writes.push(this.writeBatch(unique.slice(i, i + BATCH_WRITE_MAX), entry));
    }
    await Promise.all(writes);
  }

  private writeBatch(keys: readonly string[], entry: NearEntry): Promise<void> {
    const puts: WriteRequests = keys.map((pk) => ({ PutRequest: { Item: { pk, sk: NEAR_SK, ...entry } } }));
    return untilProcessed('bucket writes', puts, async (pending) => {
      const out = await dynamo('writing near-duplicate buckets', () =>
        this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } })),
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

function toEntry(item: Record<string, unknown>): NearEntry {
  return {
    articleId: String(item.articleId),
    clusterId: String(item.clusterId),
    duplicateOf: typeof item.duplicateOf === 'string' ? item.duplicateOf : null,
    similarity: typeof item.similarity === 'number' ? item.similarity : null,
    site: String(item.site),
    at: String(item.at),
    shingleCount: Number(item.shingleCount),
    signature: String(item.signature),
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
