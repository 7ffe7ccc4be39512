/**
 * Counts the DynamoDB calls a client makes, through a middleware on its stack (document clients
 * built on it share the stack): the figures behind "reads and writes per article".
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand']);
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);

export interface CallCounts {
  /** Read calls (GetItem, BatchGetItem, Query, Scan). */
  readonly reads: number;
  /** Items requested by read calls (a BatchGetItem of 42 keys is 42). */
  readonly readItems: number;
  /** Write calls (PutItem, UpdateItem, DeleteItem, BatchWriteItem), conditional or not. */
  readonly writes: number;
  /** Calls by command name. */
  readonly byCommand: Readonly<Record<string, number>>;
}

/** Start counting `client`'s calls; `snapshot()` returns the totals so far. */
export function countDynamoCalls(client: DynamoDBClient): { snapshot(): CallCounts } {
  let reads = 0;
  let readItems = 0;
  let writes = 0;
  const byCommand: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName);
      byCommand[name] = (byCommand[name] ?? 0) + 1;
      if (READS.has(name)) {
        reads += 1;
        const input = args.input as { RequestItems?: Record<string, { Keys?: unknown[] }> };
        readItems += input.RequestItems
          ? Object.values(input.RequestItems).reduce((n, r) => n + (r.Keys?.length ?? 0), 0)
          : 1;
      } else if (WRITES.has(name)) {
        writes += 1;
      }
      return next(args);
    },
    { step: 'initialize', name: 'newsflowCallCounter' },
  );
  return { snapshot: () => ({ reads, readItems, writes, byCommand: { ...byCommand } }) };
}
