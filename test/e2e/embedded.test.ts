import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endpointsFile, startEmbedded } from '#local/embedded.ts';
import { DataDirBusyError } from '#local/errors.ts';

describe('embedded S3 and DynamoDB', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'newsflow-embedded-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the bucket and the tables and writes endpoints.json', async () => {
    // Act
    const embedded = await startEmbedded({ dataDir });
    try {
      const tables = await embedded.dynamodb.send(new ListTablesCommand({}));
      const file = JSON.parse(await readFile(endpointsFile(dataDir), 'utf8'));
      // Assess
      expect(tables.TableNames).toEqual([
        'newsflow-local-Articles',
        'newsflow-local-Fingerprints',
        'newsflow-local-Ingestions',
      ]);
      expect(file).toMatchObject({
        s3Endpoint: embedded.endpoints.s3Endpoint,
        dynamodbEndpoint: embedded.endpoints.dynamodbEndpoint,
        region: 'us-east-1',
        bucket: 'newsflow-local-raw',
        articlesTable: 'newsflow-local-Articles',
      });
    } finally {
      await embedded.close();
    }
  });

  it('keeps objects byte for byte across a restart on the same data dir', async () => {
    // Prepare: bytes that are not valid UTF-8, streamed by the SDK
    const body = Buffer.from([0xef, 0xbb, 0xbf, 0x93, 0x48, 0x69, 0x94, 0x00, 0xff]);
    const first = await startEmbedded({ dataDir });
    await first.s3.send(
      new PutObjectCommand({ Bucket: first.endpoints.bucket, Key: 'incoming/t/a b+c.txt', Body: body }),
    );
    await first.close();
    // Act
    const second = await startEmbedded({ dataDir });
    try {
      const got = await second.s3.send(
        new GetObjectCommand({ Bucket: second.endpoints.bucket, Key: 'incoming/t/a b+c.txt' }),
      );
      // Assess
      expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(body);
    } finally {
      await second.close();
    }
  });

  it('knows the DynamoDB items already on disk after a restart (reads and conditional writes)', async () => {
    // Prepare: an item written and read back in one session (the write-through record cache)
    const first = await startEmbedded({ dataDir });
    const table = first.endpoints.fingerprintsTable;
    const item = { pk: { S: 'exact#kept' }, sk: { S: '-' }, articleId: { S: 'a1' } };
    await first.dynamodb.send(new PutItemCommand({ TableName: table, Item: item }));
    const readBack = await first.dynamodb.send(
      new GetItemCommand({ TableName: table, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }),
    );
    await first.close();
    const second = await startEmbedded({ dataDir });
    try {
      // Give the key scan of the restarted store (the filter of absent keys) time to finish.
      await new Promise((r) => setTimeout(r, 300));

      // Act
      const got = await second.dynamodb.send(
        new GetItemCommand({ TableName: table, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }),
      );
      const missing = await second.dynamodb.send(
        new GetItemCommand({ TableName: table, Key: { pk: { S: 'exact#never' }, sk: { S: '-' } } }),
      );
      const claimAgain = second.dynamodb.send(
        new PutItemCommand({
          TableName: table,
          Item: { ...item, articleId: { S: 'a2' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );

      // Assess
      expect(readBack.Item).toEqual(item);
      expect(got.Item).toEqual(item);
      expect(missing.Item).toBeUndefined();
      await expect(claimAgain).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    } finally {
      await second.close();
    }
  });

  it('refuses a data dir another live process serves, saying how to reach it', async () => {
    // Prepare: endpoints.json of a live process (our parent stands in for a running `newsflow serve`)
    const other = { s3Endpoint: 'http://127.0.0.1:1', bucket: 'newsflow-local-raw', pid: process.ppid };
    await writeFile(endpointsFile(dataDir), JSON.stringify(other));
    // Act / Assess
    await expect(startEmbedded({ dataDir })).rejects.toThrow(DataDirBusyError);
    await expect(startEmbedded({ dataDir })).rejects.toThrow(/already serving.*aws s3 cp/);
  });
});
