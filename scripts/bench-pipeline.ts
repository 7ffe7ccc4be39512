/**
 * Pipeline benchmark: synthetic articles through the local event-driven pipeline (embedded
 * s3rver + dynalite, the real handlers in the local runner), end to end from upload to stored item.
 *   npm run bench:pipeline                       # 10,000 as one JSONL batch, then 10,000 HTML files
 *   npm run bench:pipeline -- --articles 2000    # smaller
 *   npm run bench:pipeline -- --scale            # calls per article at 1k, 10k and 50k stored
 * Writes .eval/bench-pipeline.json (read by scripts/cost-model.ts --from) and prints a summary.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { HandlerFactory } from '#local/runner.ts';
import { createDocumentClient } from '#shared/adapters/aws/clients.ts';
import { CLAIM_SK } from '#shared/adapters/aws/dynamo-fingerprint-index.ts';
import { exactKey } from '#shared/domain/dedupe/exact.ts';
import type { ArticleItem } from '#shared/domain/item.ts';
import { indexKeys } from '#shared/domain/store/build-item.ts';
import { PIPELINE, type StepName } from '#shared/pipeline.ts';
import type { Queue } from '#shared/ports/index.ts';
import { REAL_HANDLERS } from '../test/support/handlers.ts';
import { type LocalPipeline, startLocalPipeline } from '../test/support/local-pipeline.ts';
import { CallMeter } from './bench/call-meter.ts';
import { syntheticArticle, toHtml, toJsonRecord } from './bench/synthetic-articles.ts';
import { DESIGN_ESTIMATE, type PerArticle } from './cost-model.ts';

/** Invocations, messages sent on and handler time, per step. */
interface StepStats {
  invocations: number;
  records: number;
  sendCalls: number;
  messagesSent: number;
  busyMs: number;
}

const newStats = (): Record<StepName, StepStats> =>
  Object.fromEntries(
    PIPELINE.map((s) => [s.name, { invocations: 0, records: 0, sendCalls: 0, messagesSent: 0, busyMs: 0 }]),
  ) as Record<StepName, StepStats>;

/** Wrap the real handler factories to count invocations, records and sends per step. */
function instrumented(stats: () => Record<StepName, StepStats>): Record<StepName, HandlerFactory> {
  const out = {} as Record<StepName, HandlerFactory>;
  for (const step of PIPELINE.map((s) => s.name)) {
    out[step] = (deps) => {
      const next: Queue | null = deps.next
        ? {
            send: async (messages) => {
              stats()[step].sendCalls += 1;
              stats()[step].messagesSent += messages.length;
              await deps.next?.send(messages);
            },
          }
        : null;
      const handler = REAL_HANDLERS[step]({ ...deps, next });
      return async (event, context) => {
        const started = performance.now();
        try {
          return await handler(event, context);
        } finally {
          const s = stats()[step];
          s.invocations += 1;
          s.records += event.Records.length;
          s.busyMs += performance.now() - started;
        }
      };
    };
  }
  return out;
}

/** Peak RSS over a phase, sampled every 100 ms. */
function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN);

interface PhaseResult {
  readonly phase: string;
  readonly articles: number;
  readonly stored: number;
  readonly failed: number;
  readonly seconds: number;
  readonly articlesPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly max: number };
  readonly perArticle: Record<string, number>;
  readonly wruPerArticle: number;
  readonly rruPerArticle: number;
  readonly peakRssMb: number;
  /**
   * CPU (user + system) per stored article of the pipeline process (handlers, SDK clients; the
   * servers too when they run in-process): the figure machine load does not distort.
   */
  readonly cpuMsPerArticle: number;
  /** CPU of the servers' child process (s3rver, dynalite, LevelDB). */
  readonly serversCpuMsPerArticle: number;
  /** 1-minute load average at the end of the phase (other processes share the 2 cores). */
  readonly loadAverage: number;
  readonly steps: Record<StepName, StepStats>;
}

/** Upload `uploads` (key → body) with bounded concurrency; returns each key's upload-complete time. */
async function uploadAll(
  p: LocalPipeline,
  uploads: ReadonlyArray<readonly [string, string]>,
  concurrency = 32,
): Promise<Map<string, number>> {
  const done = new Map<string, number>();
  let i = 0;
  const worker = async (): Promise<void> => {
    while (i < uploads.length) {
      const [key, body] = uploads[i++] as readonly [string, string];
      await p.upload(key, body);
      done.set(key, Date.now());
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done;
}

/** Run one measured phase: upload, wait for the pipeline to go idle, read back, compute. */
async function phase(
  name: string,
  p: LocalPipeline,
  meter: CallMeter,
  stats: { current: Record<StepName, StepStats> },
  uploads: ReadonlyArray<readonly [string, string]>,
  articles: number,
): Promise<PhaseResult> {
  meter.reset();
  stats.current = newStats();
  const rss = rssSampler();
  const keys = new Set(uploads.map(([k]) => k));
  const cpu0 = process.cpuUsage();
  const serversCpu0 = serversCpuMs(p.embedded.serversPid);
  const started = Date.now();
  const uploadedAt = await uploadAll(p, uploads);
  await p.runner.idle();
  const seconds = (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const serversCpu = serversCpuMs(p.embedded.serversPid) - serversCpu0;
  const peakRssMb = Math.round(rss.stop() / 1024 / 1024);
  const calls = new Map(meter.calls);
  const { wru, rru } = meter;

  const items = (await p.articles()).filter((i) => keys.has(i.rawKey));
  const ingestions = (await p.ingestions()).filter((r) => keys.has(r.rawKey));
  const latencies = items
    .map((i) => Date.parse(i.updatedAt) - (uploadedAt.get(i.rawKey) ?? started))
    .sort((a, b) => a - b);
  const perArticle: Record<string, number> = {};
  for (const [op, n] of [...calls].sort()) perArticle[op] = round(n / Math.max(1, items.length), 3);
  return {
    phase: name,
    articles,
    stored: items.length,
    failed: ingestions.filter((r) => r.outcome === 'failed').length,
    seconds: round(seconds, 2),
    articlesPerSecond: round(items.length / seconds, 1),
    latencyMs: {
      p50: Math.round(percentile(latencies, 0.5)),
      p95: Math.round(percentile(latencies, 0.95)),
      max: Math.round(latencies.at(-1) ?? Number.NaN),
    },
    perArticle,
    wruPerArticle: round(wru / Math.max(1, items.length), 2),
    rruPerArticle: round(rru / Math.max(1, items.length), 2),
    peakRssMb,
    cpuMsPerArticle: round((cpu.user + cpu.system) / 1000 / Math.max(1, items.length), 1),
    serversCpuMsPerArticle: round(serversCpu / Math.max(1, items.length), 1),
    loadAverage: round(loadavg()[0] ?? 0, 1),
    steps: stats.current,
  };
}

/**
 * CPU time (ms) of the servers' child process so far, from /proc (Linux); 0 when the servers run
 * in this process (their time is already in `process.cpuUsage`) or /proc cannot be read.
 */
function serversCpuMs(pid: number): number {
  if (pid === process.pid) return 0;
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100/s).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;

const jsonlUpload = (source: string, from: number, count: number, seed: number): [string, string] => {
  const lines: string[] = [];
  for (let n = from; n < from + count; n++) lines.push(toJsonRecord(syntheticArticle(n, seed)));
  return [`incoming/${source}/batch-${from}.jsonl`, `${lines.join('\n')}\n`];
};

const htmlUploads = (source: string, count: number, seed: number): Array<[string, string]> =>
  Array.from({ length: count }, (_, n) => [
    `incoming/${source}/page-${n}.html`,
    toHtml(syntheticArticle(n, seed)),
  ]);

/**
 * Write `count` stored articles straight into the tables (an Articles item of realistic size in
 * every GSI, and its exact-hash claim), so a measured slice runs against a table that already
 * holds that many. Pushing 50,000 through the pipeline first would take most of an hour here.
 */
async function fillDirect(p: LocalPipeline, from: number, count: number): Promise<void> {
  const doc = createDocumentClient(p.embedded.dynamodb);
  const { articlesTable, fingerprintsTable } = p.embedded.endpoints;
  const now = new Date().toISOString();
  const writes: Array<{ table: string; item: Record<string, unknown> }> = [];
  for (let n = from; n < from + count; n++) {
    const a = syntheticArticle(n, 5);
    const id = createHash('sha256').update(a.url).digest('hex').slice(0, 32);
    const text = a.paragraphs.join('\n\n');
    const contentHash = createHash('sha256').update(text).digest('hex');
    const item: ArticleItem = {
      schemaVersion: 1,
      id,
      title: a.title,
      text,
      textKey: null,
      byline: ['Staff Reporter'],
      publishedAt: a.publishedAt,
      modifiedAt: null,
      sectionLabels: [a.section],
      canonicalUrl: a.url,
      siteName: null,
      language: 'en',
      image: null,
      description: null,
      wordCount: text.split(/\s+/).length,
      section: a.section.toLowerCase(),
      sections: [{ id: a.section.toLowerCase(), score: 1, via: 'meta', match: a.section }],
      vocabularyVersion: 'fill',
      clusterId: id,
      duplicateOf: null,
      similarity: null,
      duplicateKind: null,
      contentHash,
      version: 1,
      previousContentHashes: [],
      source: 'bench-fill',
      rawKey: `incoming/bench-fill/${n}.html`,
      line: 0,
      etag: null,
      sequencer: null,
      ingestedAt: now,
      updatedAt: now,
      pipelineVersion: 'fill',
      ...indexKeys({ id, section: a.section.toLowerCase(), source: 'bench-fill', time: a.publishedAt }),
    };
    writes.push({ table: articlesTable, item });
    writes.push({
      table: fingerprintsTable,
      item: { pk: exactKey(contentHash), sk: CLAIM_SK, articleId: id, clusterId: id, at: now },
    });
  }
  const chunks: (typeof writes)[] = [];
  for (let i = 0; i < writes.length; i += 25) chunks.push(writes.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++] ?? [];
        let pending: Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>> = {};
        for (const w of chunk) {
          const list = pending[w.table] ?? [];
          list.push({ PutRequest: { Item: w.item } });
          pending[w.table] = list;
        }
        while (Object.keys(pending).length > 0) {
          const out = await doc.send(new BatchWriteCommand({ RequestItems: pending }));
          pending = (out.UnprocessedItems ?? {}) as typeof pending;
        }
      }
    }),
  );
}

/** What one article costs in calls, from a measured phase (Lambda GB-s stays the design estimate). */
function costInputs(r: PhaseResult): PerArticle {
  const per = (prefix: string, ops?: string[]) =>
    Object.entries(r.perArticle)
      .filter(([k]) => k.startsWith(prefix) && (!ops || ops.some((o) => k === `${prefix}${o}`)))
      .reduce((s, [, v]) => s + v, 0);
  const n = Math.max(1, r.stored);
  // SQS: the S3 event send, each step's SendMessageBatch calls, one receive and one delete per batch.
  const stepSqs = Object.values(r.steps).reduce((s, st) => s + st.sendCalls + 2 * st.invocations, 0);
  const s3Events = r.steps.normalize.records;
  const uploadPuts = s3Events; // the upstream PUT of each raw object
  return {
    lambdaGbSeconds: DESIGN_ESTIMATE.perArticle.lambdaGbSeconds,
    lambdaInvocations: Object.values(r.steps).reduce((s, st) => s + st.invocations, 0) / n,
    sqsRequests: (s3Events + stepSqs) / n,
    s3Puts: per('S3.', ['PutObject']) + uploadPuts / n,
    s3Gets: per('S3.', ['GetObject', 'HeadObject']),
    dynamoWru: r.wruPerArticle,
    dynamoRru: r.rruPerArticle,
    logBytes: DESIGN_ESTIMATE.perArticle.logBytes,
  };
}

function summary(r: PhaseResult): string {
  const dynamo = Object.entries(r.perArticle)
    .filter(([k]) => k.startsWith('DynamoDB.'))
    .map(([k, v]) => `${k.slice(9)} ${v}`)
    .join(', ');
  const s3 = Object.entries(r.perArticle)
    .filter(([k]) => k.startsWith('S3.'))
    .map(([k, v]) => `${k.slice(3)} ${v}`)
    .join(', ');
  return [
    `${r.phase}: ${r.stored}/${r.articles} stored, ${r.failed} failed in ${r.seconds} s = ${r.articlesPerSecond} articles/s`,
    `  upload→stored latency p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms, max ${r.latencyMs.max} ms; peak RSS ${r.peakRssMb} MB`,
    `  CPU per article: pipeline process ${r.cpuMsPerArticle} ms, servers process ${r.serversCpuMsPerArticle} ms; load average ${r.loadAverage}`,
    `  per article: DynamoDB ${dynamo} (${r.wruPerArticle} WRU incl. GSIs, ${r.rruPerArticle} RRU); S3 ${s3}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string', default: '10000' },
      scale: { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string', default: '.eval/bench-pipeline.json' },
    },
  });
  const n = Number(values.articles);
  const meter = new CallMeter();
  const stats = { current: newStats() };
  const results: PhaseResult[] = [];

  if (!values.scale) {
    const p = await startLocalPipeline({
      handlers: instrumented(() => stats.current),
      meter,
      domainWorker: true,
    });
    try {
      if (!values.only || values.only === 'jsonl') {
        results.push(
          await phase(`JSONL batch of ${n}`, p, meter, stats, [jsonlUpload('bench-jsonl', 0, n, 1)], n),
        );
        console.log(summary(results.at(-1) as PhaseResult));
      }
      if (!values.only || values.only === 'html') {
        results.push(await phase(`${n} HTML files`, p, meter, stats, htmlUploads('bench-html', n, 2), n));
        console.log(summary(results.at(-1) as PhaseResult));
      }
    } finally {
      await p.stop();
    }
  } else {
    // Calls per article with ~1k, ~10k and ~50k articles already stored: a measured slice of
    // 1,000 HTML uploads through the pipeline after each fill (fill written directly).
    const p = await startLocalPipeline({
      handlers: instrumented(() => stats.current),
      meter,
      domainWorker: true,
    });
    try {
      let stored = 0;
      const slice = 1000;
      for (const target of [1000, 10_000, 50_000]) {
        if (stored < target) {
          await fillDirect(p, stored, target - stored);
          stored = target;
          console.log(`  table holds ${stored} articles`);
        }
        results.push(
          await phase(
            `slice of ${slice} at ${target} stored`,
            p,
            meter,
            stats,
            htmlUploads(`bench-slice-${target}`, slice, 4 + target),
            slice,
          ),
        );
        console.log(summary(results.at(-1) as PhaseResult));
      }
    } finally {
      await p.stop();
    }
  }

  const headline = results.find((r) => r.phase.includes('HTML')) ?? results[0];
  const report = {
    command: `npm run bench:pipeline -- ${process.argv.slice(2).join(' ')}`.trim(),
    at: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    results,
    costInputs: headline ? costInputs(headline) : null,
  };
  mkdirSync(join(values.out, '..'), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${values.out}`);
}

await main();
