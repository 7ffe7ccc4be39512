/**
 * A dynalite server on a random port with the Fingerprints table, for the near-duplicate
 * integration test and the dedupe benchmark. Workers get clients of their own, as two Lambda
 * instances would.
 */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { FINGERPRINTS_TABLE } from '#shared/tables.ts';

export interface NearDynalite {
  readonly endpoint: string;
  readonly table: string;
  /** A new document client (one per simulated worker). */
  client(): { readonly dynamo: DynamoDBClient; readonly doc: DynamoDBDocumentClient };
  stop(): Promise<void>;
}

/** Start dynalite (in memory, or LevelDB at `path`) and create the Fingerprints table. */
export async function startNearDynalite(opts: { path?: string } = {}): Promise<NearDynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...opts });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: DynamoDBClient[] = [];
  const client = () => {
    const dynamo = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    clients.push(dynamo);
    return { dynamo, doc: DynamoDBDocumentClient.from(dynamo) };
  };
  const table = 'newsflow-test-Fingerprints';
  const { dynamo } = client();
  await dynamo.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: FINGERPRINTS_TABLE.partitionKey.name, AttributeType: 'S' },
        { AttributeName: FINGERPRINTS_TABLE.sortKey?.name ?? 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: FINGERPRINTS_TABLE.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: FINGERPRINTS_TABLE.sortKey?.name ?? 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  return {
    endpoint,
    table,
    client,
    async stop() {
      for (const c of clients) c.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
