/**
 * DynamoDB cost of the near-duplicate lookup per article, at two table sizes. For each size N a
 * fresh dynalite gets the bucket entries of N stored articles (synthetic, distinct), then the
 * same probe articles go through the real protocol (`assignNearCluster` on the DynamoDB adapter)
 * while a middleware counts the SDK calls: 100 new stories and 100 light edits of stored ones.
 * The stored entries are written with BatchWriteItem exactly as the protocol leaves them for
 * articles that each started their own cluster; that is only faster than running 50k articles
 * through the protocol one by one.
 *
 *   NODE_OPTIONS=--max-old-space-size=12000 npm run bench:dedup -- [--sizes 1000,50000] [--probes 100]
 *
 * (in memory, 50k stored articles are 2.1M bucket items: give Node the heap, or pass --disk)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoFingerprintIndex } from '#shared/adapters/aws/dynamo-fingerprint-index.ts';
import { NEAR_SK } from '#shared/adapters/aws/dynamo-near-buckets.ts';
import { entryFor, fingerprint, type NearSubject, ownCluster } from '#shared/domain/dedupe/near.ts';
import { assignNearCluster } from '#shared/steps/near-cluster.ts';
import { startNearDynalite } from '../test/integration/near-dynalite.ts';
import { seededRandom, syntheticArticle } from './bench/synthetic-articles.ts';
import { countDynamoCalls } from './lib/dynamo-call-counter.ts';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,50000' },
    probes: { type: 'string', default: '100' },
    /** Keep dynalite's store on disk (LevelDB) instead of in memory: slower, lighter. */
    disk: { type: 'boolean', default: false },
  },
});

const AT = '2026-11-01T00:00:00.000Z';

function storedSubject(n: number): NearSubject {
  const a = syntheticArticle(n);
  const s = fingerprint({
    articleId: `stored-${n}`,
    text: a.paragraphs.join('\n\n'),
    site: `site${n % 17}`,
    at: AT,
  });
  if (!s) throw new Error('synthetic article too short');
  return s;
}

/** Article n with about 4% of its words changed, on another site, arriving later. */
function editedCopy(n: number): NearSubject {
  const rand = seededRandom(n + 99);
  const text = syntheticArticle(n)
    .paragraphs.join('\n\n')
    .replace(/\p{L}+/gu, (w) => (rand() < 0.04 ? `${w}s` : w));
  const s = fingerprint({
    articleId: `copy-${n}`,
    text,
    site: 'copies.example',
    at: '2026-11-02T00:00:00.000Z',
  });
  if (!s) throw new Error('synthetic article too short');
  return s;
}

function freshStory(i: number): NearSubject {
  const a = syntheticArticle(10_000_000 + i);
  const s = fingerprint({
    articleId: `fresh-${i}`,
    text: a.paragraphs.join('\n\n'),
    site: 'fresh.example',
    at: AT,
  });
  if (!s) throw new Error('synthetic article too short');
  return s;
}

async function fill(doc: DynamoDBDocumentClient, table: string, size: number): Promise<void> {
  const seen = new Set<string>();
  let next = 0;
  const started = Date.now();
  const worker = async () => {
    for (let n = next++; n < size; n = next++) {
      const s = storedSubject(n);
      const items = s.keys
        .filter((k) => !seen.has(k))
        .map((k) => {
          seen.add(k);
          return { PutRequest: { Item: { pk: k, sk: NEAR_SK, ...entryFor(s, ownCluster(s)) } } };
        });
      for (let i = 0; i < items.length; i += 25) {
        let batch: unknown[] = items.slice(i, i + 25);
        while (batch.length > 0) {
          const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: batch as never } }));
          batch = out.UnprocessedItems?.[table] ?? [];
        }
      }
      if (n > 0 && n % 5000 === 0) {
        process.stderr.write(`  ${n} stored articles, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

async function measure(size: number, probes: number) {
  const dir = args.disk ? mkdtempSync(join(tmpdir(), 'newsflow-bench-dedup-')) : null;
  const db = await startNearDynalite(dir ? { path: dir } : {});
  try {
    const { doc } = db.client();
    const t0 = Date.now();
    await fill(doc, db.tables.fingerprints, size);
    const fillSeconds = (Date.now() - t0) / 1000;
    const worker = db.client();
    const index = new DynamoFingerprintIndex(worker.doc, db.tables.fingerprints);
    const counter = countDynamoCalls(worker.dynamo);
    const rows: Record<
      string,
      { reads: number; readItems: number; writes: number; n: number; matched: number }
    > = {};
    for (const [label, make] of [
      ['new story', freshStory],
      ['edited copy of a stored article', (i: number) => editedCopy(Math.floor((i * size) / probes))],
    ] as const) {
      const row = { reads: 0, readItems: 0, writes: 0, n: 0, matched: 0 };
      for (let i = 0; i < probes; i += 1) {
        const before = counter.snapshot();
        const d = await assignNearCluster(index, make(i));
        const after = counter.snapshot();
        row.reads += after.reads - before.reads;
        row.readItems += after.readItems - before.readItems;
        row.writes += after.writes - before.writes;
        row.n += 1;
        if (d.duplicateOf !== null) row.matched += 1;
      }
      rows[label] = row;
    }
    return { size, fillSeconds, rows };
  } finally {
    await db.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

const sizes = args.sizes.split(',').map(Number);
const probes = Number(args.probes);
console.log(
  '| stored articles | probe | articles | matched | read calls / article | items read / article | write calls / article |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const size of sizes) {
  const r = await measure(size, probes);
  for (const [label, row] of Object.entries(r.rows)) {
    console.log(
      `| ${size} | ${label} | ${row.n} | ${row.matched} | ${(row.reads / row.n).toFixed(2)} | ${(row.readItems / row.n).toFixed(2)} | ${(row.writes / row.n).toFixed(2)} |`,
    );
  }
  process.stderr.write(`  (${size}: table filled in ${r.fillSeconds.toFixed(0)} s)\n`);
}
