/**
 * Near-duplicate evaluation through the real pipeline steps: every document of the labelled set
 * (scripts/gen-dedup-pairs.ts) is uploaded to s3rver, normalized by the normalize step and
 * deduplicated by the dedupe step (exact claim + near-duplicate stage) against dynalite, with
 * several documents in flight at once. Then, from the clusters the step assigned:
 * - per labelled pair kind: how many pairs ended in one cluster (recall for positive kinds, false
 *   merges for the hard-negative kinds);
 * - precision and recall over all labelled pairs, and over every pair of documents (a document's
 *   story is known, so any two different stories in one cluster count as a false merge);
 * - DynamoDB calls per article made by the dedupe step.
 *
 *   npm run eval:dedup -- [--set .eval/dedup] [--concurrency 4] [--json out.json]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { normalizeDocument } from '#shared/domain/normalize/index.ts';
import { dedupeArticle } from '#shared/steps/dedupe.ts';
import { nearDuplicateStage } from '#shared/steps/near-cluster.ts';
import { normalizeObject } from '#shared/steps/normalize.ts';
import { startLocalAws } from '../test/support/local-aws.ts';
import { testDeps } from '../test/support/step-deps.ts';
import type { ManifestDoc, PairKind, PairRecord } from './gen-dedup-pairs.ts';
import { countDynamoCalls } from './lib/dynamo-call-counter.ts';

const { values: args } = parseArgs({
  options: {
    set: { type: 'string', default: '.eval/dedup' },
    concurrency: { type: 'string', default: '4' },
    json: { type: 'string' },
  },
});

interface Result {
  readonly clusterId: string | null;
  readonly duplicateOf: string | null;
  readonly kind: string | null;
  readonly failure: string | null;
}

// Deterministic arrival order, different from generation order (variants often come first).
function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i -= 1) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function main(): Promise<void> {
  if (!existsSync(join(args.set, 'manifest.json'))) {
    console.error(`eval:dedup: no labelled set in ${args.set}; build it first with: npm run gen:dedup`);
    process.exit(2);
  }
  const manifest = JSON.parse(readFileSync(join(args.set, 'manifest.json'), 'utf8')) as {
    docs: ManifestDoc[];
  };
  const pairs = readFileSync(join(args.set, 'pairs.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as PairRecord);
  const aws = await startLocalAws({ prefix: 'newsflow-eval' });
  const calls = countDynamoCalls(aws.dynamo);
  try {
    const deps = testDeps(aws, { next: null });
    const stages = [nearDuplicateStage()];
    const results = new Map<string, Result>();
    const order = shuffled(manifest.docs, 2026);
    const started = Date.now();
    let dedupeCalls = { reads: 0, writes: 0, articles: 0 };
    let cursor = 0;
    const worker = async () => {
      for (let doc = order[cursor++]; doc; doc = order[cursor++]) {
        const key = `incoming/${doc.path}`;
        const body = readFileSync(join(args.set, 'docs', doc.path));
        const put = await aws.s3.send(new PutObjectCommand({ Bucket: aws.bucket, Key: key, Body: body }));
        const refs = await normalizeObject(
          {
            bucket: aws.bucket,
            key,
            size: body.byteLength,
            etag: put.ETag?.replaceAll('"', '') ?? null,
            sequencer: null,
            eventTime: new Date().toISOString(),
            eventName: 'ObjectCreated:Put',
          },
          deps,
          normalizeDocument,
        );
        const ref = refs[0];
        if (!ref) {
          results.set(doc.path, {
            clusterId: null,
            duplicateOf: null,
            kind: null,
            failure: 'not normalized',
          });
          continue;
        }
        const before = calls.snapshot();
        const outcome = await dedupeArticle(ref, deps, stages);
        const after = calls.snapshot();
        dedupeCalls = {
          reads: dedupeCalls.reads + after.reads - before.reads,
          writes: dedupeCalls.writes + after.writes - before.writes,
          articles: dedupeCalls.articles + 1,
        };
        const verdict = outcome.tag === 'forward' ? outcome.message : outcome.verdict;
        results.set(doc.path, {
          clusterId: verdict.clusterId,
          duplicateOf: verdict.duplicateOf,
          kind: verdict.duplicateKind,
          failure: null,
        });
      }
    };
    await Promise.all(Array.from({ length: Number(args.concurrency) }, worker));
    const seconds = (Date.now() - started) / 1000;

    const report = score(manifest.docs, pairs, results);
    const failed = [...results.entries()].filter(([, r]) => r.failure !== null).map(([p]) => p);
    console.log(
      `${manifest.docs.length} documents in ${seconds.toFixed(0)} s (concurrency ${args.concurrency}),`,
    );
    console.log(
      `${failed.length} not normalized${failed.length ? `: ${failed.slice(0, 5).join(', ')}` : ''}`,
    );
    console.log(
      `dedupe step DynamoDB calls per article (concurrent, so reads/writes shared by racing articles are included): ` +
        `${(dedupeCalls.reads / dedupeCalls.articles).toFixed(2)} reads, ${(dedupeCalls.writes / dedupeCalls.articles).toFixed(2)} writes`,
    );
    console.log('');
    console.log('| kind | label | pairs | in one cluster | recall | pairwise precision |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const row of report.kinds) {
      console.log(
        `| ${row.kind} | ${row.same ? 'same story' : 'different'} | ${row.pairs} | ${row.joined} | ${row.same ? fmt(row.joined / row.pairs) : '–'} | ${fmt(row.precision)} |`,
      );
    }
    console.log('');
    console.log(
      `labelled pairs: precision ${fmt(report.labelled.precision)}, recall ${fmt(report.labelled.recall)} ` +
        `(TP ${report.labelled.tp}, FP ${report.labelled.fp}, FN ${report.labelled.fn})`,
    );
    console.log(
      `all document pairs: precision ${fmt(report.all.precision)}, recall ${fmt(report.all.recall)} ` +
        `(TP ${report.all.tp}, FP ${report.all.fp}, FN ${report.all.fn})`,
    );
    if (report.falseMerges.length > 0) {
      console.log('false merges (first 10):');
      for (const m of report.falseMerges.slice(0, 10)) console.log(`  ${m}`);
    }
    if (report.misses.length > 0) {
      console.log('missed positives (first 10):');
      for (const m of report.misses.slice(0, 10)) console.log(`  ${m}`);
    }
    if (args.json)
      writeFileSync(args.json, `${JSON.stringify({ ...report, seconds, dedupeCalls }, null, 1)}\n`);
  } finally {
    await aws.stop();
  }
}

const fmt = (x: number): string => (Number.isNaN(x) ? '–' : x.toFixed(3));

function score(
  docs: readonly ManifestDoc[],
  pairs: readonly PairRecord[],
  results: ReadonlyMap<string, Result>,
) {
  const story = new Map(docs.map((d) => [d.path, d.story]));
  const docKind = new Map(docs.map((d) => [d.path, d.kind]));
  const cluster = (path: string) => results.get(path)?.clusterId ?? null;
  const together = (a: string, b: string) => cluster(a) !== null && cluster(a) === cluster(b);

  // Pairwise over every document: clusters against stories.
  const members = new Map<string, string[]>();
  for (const d of docs) {
    const c = cluster(d.path);
    if (c !== null) members.set(c, [...(members.get(c) ?? []), d.path]);
  }
  const byStory = new Map<string, number>();
  for (const d of docs) byStory.set(d.story, (byStory.get(d.story) ?? 0) + 1);
  let tp = 0;
  let fp = 0;
  const perKind = new Map<string, { tp: number; fp: number }>();
  const falseMerges: string[] = [];
  for (const paths of members.values()) {
    for (let i = 0; i < paths.length; i += 1) {
      for (let j = i + 1; j < paths.length; j += 1) {
        const a = paths[i]!;
        const b = paths[j]!;
        const ok = story.get(a) === story.get(b);
        if (ok) tp += 1;
        else {
          fp += 1;
          falseMerges.push(`${a} + ${b}`);
        }
        for (const k of new Set([docKind.get(a), docKind.get(b)])) {
          const s = perKind.get(k ?? '') ?? { tp: 0, fp: 0 };
          if (ok) s.tp += 1;
          else s.fp += 1;
          perKind.set(k ?? '', s);
        }
      }
    }
  }
  let positives = 0;
  for (const n of byStory.values()) positives += (n * (n - 1)) / 2;

  const kinds: { kind: PairKind; same: boolean; pairs: number; joined: number; precision: number }[] = [];
  let ltp = 0;
  let lfp = 0;
  let lfn = 0;
  const misses: string[] = [];
  const kindNames = [...new Set(pairs.map((p) => p.kind))];
  for (const kind of kindNames) {
    const ofKind = pairs.filter((p) => p.kind === kind);
    const joined = ofKind.filter((p) => together(p.a, p.b)).length;
    const same = ofKind[0]!.same;
    const pk = perKind.get(kind);
    kinds.push({
      kind,
      same,
      pairs: ofKind.length,
      joined,
      precision: same && pk ? pk.tp / (pk.tp + pk.fp) : Number.NaN,
    });
    for (const p of ofKind) {
      const t = together(p.a, p.b);
      if (p.same && t) ltp += 1;
      else if (p.same) {
        lfn += 1;
        misses.push(`${kind}: ${p.a} | ${p.b}`);
      } else if (t) lfp += 1;
    }
  }
  return {
    kinds,
    labelled: { tp: ltp, fp: lfp, fn: lfn, precision: ltp / (ltp + lfp), recall: ltp / (ltp + lfn) },
    all: { tp, fp, fn: positives - tp, precision: tp / (tp + fp), recall: tp / positives },
    falseMerges,
    misses,
  };
}

await main();
