/**
 * dynalite on a random port with the newsflow tables, for the near-duplicate integration test and
 * the dedupe evaluation and benchmark. Each simulated worker gets clients of its own, as two
 * Lambda instances would.
 */
import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { createDocumentClient, createDynamoClient } from '#shared/adapters/aws/clients.ts';
import { createTables } from '#shared/adapters/aws/create-tables.ts';

export interface NearDynalite {
  readonly endpoint: string;
  /** Physical table names by logical name. */
  readonly tables: { readonly fingerprints: string; readonly articles: string; readonly ingestions: string };
  /** New clients (one pair per simulated worker). */
  client(): { readonly dynamo: DynamoDBClient; readonly doc: DynamoDBDocumentClient };
  stop(): Promise<void>;
}

/** Start dynalite (in memory, or LevelDB under `path`) and create the tables of shared/tables.ts. */
export async function startNearDynalite(opts: { path?: string } = {}): Promise<NearDynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...opts });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: DynamoDBClient[] = [];
  const client = () => {
    const dynamo = createDynamoClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    clients.push(dynamo);
    return { dynamo, doc: createDocumentClient(dynamo) };
  };
  const names = await createTables(client().dynamo, 'newsflow-neardup');
  return {
    endpoint,
    tables: { fingerprints: names.Fingerprints, articles: names.Articles, ingestions: names.Ingestions },
    client,
    async stop() {
      for (const c of clients) c.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
