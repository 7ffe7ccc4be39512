/**
 * CPU per DynamoDB call against the embedded dynalite, on each side: the calling process
 * (SDK, HTTP) and the servers' child process (dynalite, LevelDB), for the calls the pipeline
 * makes per article (docs/PERFORMANCE.md, "CPU per article"):
 *   npx tsx scripts/bench-dynamo-calls.ts [--calls 2000]
 * Calls go 10 at a time, like the records of one batch. Linux only (reads /proc/<pid>/stat).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { startEmbedded } from '#local/embedded.ts';
import { BANDS } from '#shared/domain/dedupe/lsh.ts';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '2000' } } });
const calls = Number(values.calls);

/** utime + stime of `pid` in microseconds (USER_HZ = 100). */
function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

const dataDir = mkdtempSync(join(tmpdir(), 'newsflow-calls-'));
const embedded = await startEmbedded({ dataDir });
const table = embedded.endpoints.fingerprintsTable;
/** Key of bucket `k` of article `id`, as the near-duplicate adapter writes it. */
const bucketKey = (id: string, k: number): Record<string, AttributeValue> => ({
  pk: { S: `near#n1#${k}#${id}` },
  sk: { S: 'near' },
});
/** An article's {@link BANDS} bucket keys. */
const bucketKeys = (id: string) => Array.from({ length: BANDS }, (_, k) => bucketKey(id, k));
const bucket = (i: number, k: number): Record<string, AttributeValue> => ({
  ...bucketKey(String(i), k),
  articleId: { S: `a${i}` },
  clusterId: { S: `a${i}` },
  duplicateOf: { NULL: true },
  similarity: { NULL: true },
  site: { S: 'example.com' },
  at: { S: '2026-01-01T00:00:00.000Z' },
  shingleCount: { N: '500' },
});
const cases: ReadonlyArray<readonly [string, (i: number) => Promise<unknown>]> = [
  [
    'PutItem, conditional (a claim)',
    (i) =>
      embedded.rawDynamodb.send(
        new PutItemCommand({
          TableName: table,
          Item: { pk: { S: `exact#${i}` }, sk: { S: '-' }, articleId: { S: `a${i}` } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
  ],
  [
    'GetItem of an absent key',
    (i) =>
      embedded.rawDynamodb.send(
        new GetItemCommand({ TableName: table, Key: { pk: { S: `none#${i}` }, sk: { S: '-' } } }),
      ),
  ],
  [
    `BatchWriteItem of ${BANDS} buckets`,
    (i) =>
      embedded.rawDynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [table]: Array.from({ length: BANDS }, (_, k) => ({ PutRequest: { Item: bucket(i, k) } })),
          },
        }),
      ),
  ],
  [
    `BatchGetItem of ${BANDS} absent buckets`,
    (i) =>
      embedded.rawDynamodb.send(
        new BatchGetItemCommand({
          RequestItems: {
            [table]: {
              Keys: bucketKeys(`x${i}`),
              ConsistentRead: true,
            },
          },
        }),
      ),
  ],
  [
    `BatchGetItem of ${BANDS} stored buckets, owners only`,
    (i) =>
      embedded.rawDynamodb.send(
        new BatchGetItemCommand({
          RequestItems: {
            [table]: {
              Keys: bucketKeys(String(i)),
              ConsistentRead: true,
              ProjectionExpression: 'pk, articleId',
            },
          },
        }),
      ),
  ],
];
try {
  console.log(`| call (${calls} calls, 10 at a time) | newsflow side µs/call | servers side µs/call |`);
  console.log('| --- | ---: | ---: |');
  for (const [name, call] of cases) {
    for (let i = 0; i < 200; i += 10)
      await Promise.all(Array.from({ length: 10 }, (_, j) => call(1e7 + i + j)));
    const own = process.cpuUsage();
    const servers = cpuMicros(embedded.serversPid);
    for (let i = 0; i < calls; i += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => call(i + j)));
    const used = process.cpuUsage(own);
    const serversUsed = cpuMicros(embedded.serversPid) - servers;
    console.log(
      `| ${name} | ${Math.round((used.user + used.system) / calls)} | ${Math.round(serversUsed / calls)} |`,
    );
  }
} finally {
  await embedded.close();
  rmSync(dataDir, { recursive: true, force: true });
}
