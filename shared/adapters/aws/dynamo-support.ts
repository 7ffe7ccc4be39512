/** Small helpers the DynamoDB adapters share: error wrapping and opaque page cursors. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DependencyError, InvalidRequestError } from '../../errors.ts';

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
