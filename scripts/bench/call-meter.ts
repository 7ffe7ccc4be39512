/**
 * Counts every S3 and DynamoDB call the pipeline makes, by operation, with DynamoDB capacity
 * units, by hooking the SDK clients' middleware (no proxy in the path, so the count costs
 * nothing measurable). DynamoDB capacity is asked for on each request (`ReturnConsumedCapacity`)
 * and summed from the responses; dynalite reports base-table units only, so the units a write
 * costs in each GSI it lands in (projection ALL: the item's size again) are added here.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { ARTICLES_TABLE } from '#shared/tables.ts';

interface Capacity {
  readonly CapacityUnits?: number;
  readonly TableName?: string;
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);

/** Per-operation counters for one run (or one slice of a run, after {@link CallMeter.reset}). */
export class CallMeter {
  readonly calls = new Map<string, number>();
  wru = 0;
  rru = 0;
  /** WRU charged to GSIs (included in {@link wru}). */
  gsiWru = 0;

  reset(): void {
    this.calls.clear();
    this.wru = 0;
    this.rru = 0;
    this.gsiWru = 0;
  }

  /** Calls whose name starts with `prefix` (`S3.`, `DynamoDB.`), optionally one operation. */
  count(prefix: string, operation?: string): number {
    let n = 0;
    for (const [k, v] of this.calls)
      if (k.startsWith(prefix) && (!operation || k === `${prefix}${operation}`)) n += v;
    return n;
  }

  /** Hook an S3 client. */
  attachS3(client: S3Client): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        this.bump(`S3.${String(context.commandName).replace(/Command$/, '')}`);
        return next(args);
      },
      { step: 'initialize', name: 'newsflowCallMeter' },
    );
  }

  /** Hook a DynamoDB client (the document client shares its middleware stack). */
  attachDynamo(client: DynamoDBClient): void {
    const articlesSuffix = `-${ARTICLES_TABLE.logicalName}`;
    const gsiKeys = ARTICLES_TABLE.globalSecondaryIndexes.map((g) => g.partitionKey.name);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const name = String(context.commandName);
        this.bump(`DynamoDB.${name.replace(/Command$/, '')}`);
        const input = args.input as Record<string, unknown>;
        input.ReturnConsumedCapacity = 'TOTAL';
        let out: Awaited<ReturnType<typeof next>>;
        try {
          out = await next(args);
        } catch (error) {
          // A failed conditional write still costs a write unit on DynamoDB.
          if (WRITES.has(name)) this.wru += 1;
          throw error;
        }
        const output = out.output as { ConsumedCapacity?: Capacity | Capacity[] };
        const consumed = output.ConsumedCapacity;
        const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
        const units = list.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0);
        if (WRITES.has(name)) {
          this.wru += units;
          const table = String(input.TableName ?? '');
          const item = (input.Item ?? null) as Record<string, unknown> | null;
          if (table.endsWith(articlesSuffix) && item) {
            const gsis = gsiKeys.filter((k) => item[k] !== undefined).length;
            this.gsiWru += units * gsis;
            this.wru += units * gsis;
          }
        } else {
          this.rru += units;
        }
        return out;
      },
      { step: 'initialize', name: 'newsflowCallMeter' },
    );
  }

  private bump(key: string): void {
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
  }
}
