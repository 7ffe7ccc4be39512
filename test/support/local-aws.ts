/**
 * Real s3rver and dynalite on random localhost ports, in-process, with the real SDK clients
 * pointed at them: what the integration tests (and anyone else's) start in `beforeAll`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/embedded.ts';
import { createDocumentClient, createDynamoClient, createS3Client } from '#shared/adapters/aws/clients.ts';
import { createTables } from '#shared/adapters/aws/create-tables.ts';

// The same key pair and region the embedded mode uses (s3rver accepts only S3RVER/S3RVER).
export { LOCAL_CREDENTIALS, LOCAL_REGION };

export interface LocalAws {
  readonly s3Endpoint: string;
  readonly dynamodbEndpoint: string;
  readonly bucket: string;
  /** Table name prefix; tables are `<prefix>-Articles`, `<prefix>-Fingerprints`, `<prefix>-Ingestions`. */
  readonly prefix: string;
  readonly tables: { readonly articles: string; readonly fingerprints: string; readonly ingestions: string };
  readonly s3: S3Client;
  readonly dynamo: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

/** Start both servers on port 0, create the bucket and (from shared/tables.ts) the tables. */
export async function startLocalAws(opts: { bucket?: string; prefix?: string } = {}): Promise<LocalAws> {
  const bucket = opts.bucket ?? 'newsflow-test-raw';
  const prefix = opts.prefix ?? 'newsflow-test';
  const directory = await mkdtemp(join(tmpdir(), 'newsflow-s3rver-'));
  const s3rver = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const s3Address = await s3rver.run();
  const dynamoServer = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dynamoServer.listen(0, '127.0.0.1', resolve));
  const dynamoAddress = dynamoServer.address() as AddressInfo;

  const s3Endpoint = `http://127.0.0.1:${s3Address.port}`;
  const dynamodbEndpoint = `http://127.0.0.1:${dynamoAddress.port}`;
  const clientOpts = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const s3 = createS3Client({ ...clientOpts, endpoint: s3Endpoint });
  const dynamo = createDynamoClient({ ...clientOpts, endpoint: dynamodbEndpoint });
  // The adapters' low-level commands go through a client with cacheMiddleware, as in production.
  const raw = createDynamoClient({ ...clientOpts, endpoint: dynamodbEndpoint, cacheMiddleware: true });
  const names = await createTables(dynamo, prefix);
  return {
    s3Endpoint,
    dynamodbEndpoint,
    bucket,
    prefix,
    tables: { articles: names.Articles, fingerprints: names.Fingerprints, ingestions: names.Ingestions },
    s3,
    dynamo,
    doc: createDocumentClient(dynamo, raw),
    async stop() {
      s3.destroy();
      dynamo.destroy();
      raw.destroy();
      await s3rver.close();
      await new Promise<void>((resolve) => dynamoServer.close(() => resolve()));
      await rm(directory, { recursive: true, force: true });
    },
  };
}
