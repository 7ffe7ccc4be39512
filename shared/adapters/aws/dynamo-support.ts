/** Small helpers the DynamoDB adapters share: error wrapping, the hot-path put and opaque page cursors. */
import { ConditionalCheckFailedException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DependencyError, InvalidRequestError } from '../../errors.ts';
import { MARSHALL_OPTIONS, rawClientOf } from './clients.ts';

/** True for the error a failed condition expression raises. */
export const isConditionFailed = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof Error && error.name === 'ConditionalCheckFailedException');

/** Run a DynamoDB call, turning SDK failures into {@link DependencyError} naming what was attempted. */
export async function dynamo<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isConditionFailed(error)) throw error;
    throw new DependencyError(`DynamoDB: ${what} failed`, { cause: error });
  }
}

/** What {@link putItem} writes: a PutItem whose item and values are plain JavaScript values. */
export interface PutInput {
  readonly TableName: string;
  readonly Item: Record<string, unknown>;
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Record<string, unknown>;
}

/**
 * A PutItem marshalled here and sent as the low-level command, for the puts every article makes
 * (the exact claim, the article, its ingestion record). The document client's PutCommand wraps
 * a second command and resolves a second middleware stack on every call: ≈ 50 µs more CPU per
 * put than this (measured against the embedded dynalite, docs/PERFORMANCE.md round 4). The
 * item written is the same; a failed condition still throws ConditionalCheckFailedException.
 */
export function putItem(doc: DynamoDBDocumentClient, input: PutInput): Promise<unknown> {
  const { Item, ExpressionAttributeValues, ...rest } = input;
  return rawClientOf(doc).send(
    new PutItemCommand({
      ...rest,
      Item: marshall(Item, MARSHALL_OPTIONS),
      ...(ExpressionAttributeValues
        ? { ExpressionAttributeValues: marshall(ExpressionAttributeValues, MARSHALL_OPTIONS) }
        : {}),
    }),
  );
}

/** Encode a page position as an opaque URL-safe string. */
export const encodeCursor = (state: unknown): string =>
  Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');

/** Decode a cursor from {@link encodeCursor}; anything else is the caller's mistake. */
export function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new InvalidRequestError(`Not a newsflow page cursor: ${JSON.stringify(cursor.slice(0, 40))}`);
}
