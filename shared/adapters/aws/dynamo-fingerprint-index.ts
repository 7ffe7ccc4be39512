/**
 * {@link FingerprintIndex} on the Fingerprints table: one item per claim, `pk` the claimed key.
 * Near-duplicate buckets live in the same table ({@link DynamoNearBuckets}).
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NearEntry } from '../../domain/dedupe/near.ts';
import { DependencyError } from '../../errors.ts';
import type { FingerprintClaim, FingerprintIndex } from '../../ports/index.ts';
import { DynamoNearBuckets } from './dynamo-near-buckets.ts';
import { dynamo, isConditionFailed, putItem } from './dynamo-support.ts';

/** Sort key of a plain claim; other entry kinds (near-duplicate bands) may use their own. */
export const CLAIM_SK = '-';

export class DynamoFingerprintIndex implements FingerprintIndex {
  private readonly near: DynamoNearBuckets;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {
    this.near = new DynamoNearBuckets(doc, tableName);
  }

  getNearEntries(keys: readonly string[]): Promise<ReadonlyMap<string, NearEntry>> {
    return this.near.getNearEntries(keys);
  }

  getNearOwners(keys: readonly string[]): Promise<ReadonlyMap<string, string>> {
    return this.near.getNearOwners(keys);
  }

  putNearEntries(keys: readonly string[], entry: NearEntry): Promise<void> {
    return this.near.putNearEntries(keys, entry);
  }

  updateNear(key: string, entry: NearEntry): Promise<void> {
    return this.near.updateNear(key, entry);
  }

  async claim(key: string, value: FingerprintClaim): Promise<FingerprintClaim> {
    // A claim is never deleted, so a lost race is always followed by a readable winner; the loop
    // only guards against an eventually consistent miss on a replica.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await putItem(this.doc, {
          TableName: this.tableName,
          Item: { pk: key, sk: CLAIM_SK, ...value },
          ConditionExpression: 'attribute_not_exists(pk)',
        });
        return value;
      } catch (error) {
        if (!isConditionFailed(error)) {
          throw new DependencyError(`DynamoDB: claiming ${key} failed`, { cause: error });
        }
      }
      const winner = await this.get(key);
      if (winner) return winner;
    }
    throw new DependencyError(`DynamoDB: claim on ${key} exists but cannot be read`);
  }

  async get(key: string): Promise<FingerprintClaim | null> {
    const out = await dynamo(`reading claim ${key}`, () =>
      this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: key, sk: CLAIM_SK }, ConsistentRead: true }),
      ),
    );
    const item = out.Item;
    if (!item) return null;
    return { articleId: String(item.articleId), clusterId: String(item.clusterId), at: String(item.at) };
  }

  async setClaimCluster(key: string, articleId: string, clusterId: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: key, sk: CLAIM_SK },
          UpdateExpression: 'SET clusterId = :c',
          ConditionExpression: 'articleId = :a',
          ExpressionAttributeValues: { ':c': clusterId, ':a': articleId },
        }),
      );
    } catch (error) {
      // Held by another article: its cluster is its own business.
      if (isConditionFailed(error)) return;
      throw new DependencyError(`DynamoDB: updating claim ${key} failed`, { cause: error });
    }
  }
}
