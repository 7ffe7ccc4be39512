/**
 * Create the tables of shared/tables.ts (the same definitions the CDK stack deploys) in a
 * DynamoDB endpoint: used by local mode and the integration tests. Idempotent: existing tables
 * are left as they are.
 */
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { DependencyError } from '../../errors.ts';
import { type KeyDef, TABLES, type TableDef, tableName } from '../../tables.ts';

const keySchema = (pk: KeyDef, sk?: KeyDef): KeySchemaElement[] => [
  { AttributeName: pk.name, KeyType: 'HASH' },
  ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
];

/** The CreateTable input for one definition (on-demand billing, GSIs project everything). */
export function createTableInput(table: TableDef, name: string) {
  const keys = [
    table.partitionKey,
    table.sortKey,
    ...table.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const attributes = new Map<string, AttributeDefinition>();
  for (const k of keys) if (k) attributes.set(k.name, { AttributeName: k.name, AttributeType: k.type });
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attributes.values()],
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    ...(table.globalSecondaryIndexes.length > 0
      ? {
          GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((i) => ({
            IndexName: i.indexName,
            KeySchema: keySchema(i.partitionKey, i.sortKey),
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
}

async function waitActive(client: DynamoDBClient, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    const ready =
      Table?.TableStatus === 'ACTIVE' &&
      (Table.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (ready) return;
    if (Date.now() > deadline) throw new DependencyError(`Table ${name} not active after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Create every table for `prefix` (`<prefix>-Articles`, …) unless it exists, and wait until all
 * are active. Returns the physical names by logical name.
 */
export async function createTables(
  client: DynamoDBClient,
  prefix: string,
  opts: { timeoutMs?: number } = {},
): Promise<Record<TableDef['logicalName'], string>> {
  const names = {} as Record<TableDef['logicalName'], string>;
  await Promise.all(
    TABLES.map(async (table) => {
      const name = tableName(prefix, table);
      names[table.logicalName] = name;
      try {
        await client.send(new CreateTableCommand(createTableInput(table, name)));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) {
          throw new DependencyError(`Creating table ${name} failed`, { cause: error });
        }
      }
      await waitActive(client, name, opts.timeoutMs ?? 30_000);
    }),
  );
  return names;
}
