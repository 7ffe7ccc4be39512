/**
 * Cost per million articles at AWS list prices (us-east-1), from per-article call counts.
 *   npx tsx scripts/cost-model.ts                      # design estimates
 *   npx tsx scripts/cost-model.ts --from .eval/bench-pipeline.json   # counts measured by bench:pipeline
 * Prints a markdown table (docs/SCALING.md quotes it) with the largest line marked.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BANDS } from '#shared/domain/dedupe/lsh.ts';

/** List prices, us-east-1, checked 2026-11 (Lambda arm64 first tier; SQS standard; S3 Standard; DynamoDB on-demand). */
export const PRICES = {
  lambdaGbSecondArm: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  sqsRequest: 0.4 / 1e6,
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
  dynamoWru: 0.625 / 1e6,
  dynamoRru: 0.125 / 1e6,
  logsIngestGb: 0.5,
} as const;

/** What one article costs in calls and compute, averaged over a run. */
export interface PerArticle {
  /** Lambda compute, GB-seconds, all four steps. */
  readonly lambdaGbSeconds: number;
  /** Lambda invocations (a batch is one invocation). */
  readonly lambdaInvocations: number;
  /** SQS API requests: S3's event send, each step's send, the pollers' receive and delete. */
  readonly sqsRequests: number;
  readonly s3Puts: number;
  readonly s3Gets: number;
  /** Write request units, base tables and every GSI the item lands in. */
  readonly dynamoWru: number;
  /** Read request units. */
  readonly dynamoRru: number;
  /** Log bytes written to CloudWatch Logs. */
  readonly logBytes: number;
}

/** Per-step assumptions behind the design estimate; every figure here is replaced by measurement where one exists. */
export const DESIGN_ESTIMATE = (() => {
  const itemKb = 6; // 5 KB of text (≈ 850 words) + metadata; 1 WRU per KB written
  const articleGsis = 3; // bySectionDay, bySourceDay, byCluster, projection ALL (CDK default)
  const bands = BANDS; // one Fingerprints item each
  const normalizeBatch = 5;
  const batch = 10;
  const perQueue = (b: number) => 2 / b; // one ReceiveMessage + one DeleteMessageBatch per batch
  return {
    itemKb,
    articleGsis,
    bands,
    perArticle: {
      // normalize 1024 MB × 45 ms, dedupe 512 MB × 25 ms, tag 512 MB × 8 ms, store 512 MB × 20 ms
      lambdaGbSeconds: 1 * 0.045 + 0.5 * 0.025 + 0.5 * 0.008 + 0.5 * 0.02,
      lambdaInvocations: 1 / normalizeBatch + 3 / batch,
      // S3 → q.normalize is one SendMessage per object; each step sends its batch with SendMessageBatch
      sqsRequests: 1 + perQueue(normalizeBatch) + 3 * (1 / batch + perQueue(batch)),
      // the upstream upload (articles up to 56 KB travel inside the messages: no claim check)
      s3Puts: 1,
      // the raw read by normalize
      s3Gets: 1,
      // article item into the table and each GSI; exact claim; one item per LSH band and one for
      // the signature; ingestion record
      dynamoWru: itemKb * (1 + articleGsis) + 1 + bands + 1 + 1,
      // the bucket lookup and the read-back: one strongly consistent item read per band each
      // (store reads the article only when its id exists)
      dynamoRru: 2 * bands,
      // ~4 structured lines of ~400 bytes per step
      logBytes: 4 * 4 * 400,
    } satisfies PerArticle,
  };
})();

/** One cost line per million articles. */
export interface CostLine {
  readonly service: string;
  readonly what: string;
  readonly usd: number;
}

/** Cost lines per million articles for the given per-article counts. */
export function costPerMillion(p: PerArticle): CostLine[] {
  const m = 1e6;
  return [
    {
      service: 'Lambda',
      what: `${fmt(p.lambdaGbSeconds * m)} GB-s (arm64)`,
      usd: p.lambdaGbSeconds * m * PRICES.lambdaGbSecondArm,
    },
    {
      service: 'Lambda',
      what: `${fmt(p.lambdaInvocations * m)} requests`,
      usd: p.lambdaInvocations * m * PRICES.lambdaRequest,
    },
    {
      service: 'SQS',
      what: `${fmt(p.sqsRequests * m)} requests`,
      usd: p.sqsRequests * m * PRICES.sqsRequest,
    },
    { service: 'S3', what: `${fmt(p.s3Puts * m)} PUT`, usd: p.s3Puts * m * PRICES.s3Put },
    { service: 'S3', what: `${fmt(p.s3Gets * m)} GET`, usd: p.s3Gets * m * PRICES.s3Get },
    { service: 'DynamoDB', what: `${fmt(p.dynamoWru * m)} WRU`, usd: p.dynamoWru * m * PRICES.dynamoWru },
    { service: 'DynamoDB', what: `${fmt(p.dynamoRru * m)} RRU`, usd: p.dynamoRru * m * PRICES.dynamoRru },
    {
      service: 'CloudWatch Logs',
      what: `${fmt((p.logBytes * m) / 1e9)} GB ingested`,
      usd: ((p.logBytes * m) / 1e9) * PRICES.logsIngestGb,
    },
  ];
}

function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} k`;
  return n.toFixed(n >= 10 ? 0 : 2);
}

/** The cost table as markdown, largest line in bold. */
export function renderCostTable(lines: readonly CostLine[]): string {
  const total = lines.reduce((s, l) => s + l.usd, 0);
  const largest = lines.reduce((a, b) => (b.usd > a.usd ? b : a));
  const rows = lines.map((l) => {
    const cells = [l.service, l.what, `$${l.usd.toFixed(2)}`, `${((100 * l.usd) / total).toFixed(0)} %`];
    return `| ${(l === largest ? cells.map((c) => `**${c}**`) : cells).join(' | ')} |`;
  });
  return [
    '| service | usage per million articles | USD | share |',
    '| --- | --- | ---: | ---: |',
    ...rows,
    `| **total** | | **$${total.toFixed(2)}** | |`,
  ].join('\n');
}

function main(): void {
  const { values } = parseArgs({ options: { from: { type: 'string' } } });
  let perArticle: PerArticle = DESIGN_ESTIMATE.perArticle;
  if (values.from) {
    const measured = JSON.parse(readFileSync(values.from, 'utf8')) as { costInputs?: PerArticle };
    if (!measured.costInputs)
      throw new Error(`${values.from} has no costInputs (run npm run bench:pipeline)`);
    perArticle = measured.costInputs;
  }
  console.log(renderCostTable(costPerMillion(perArticle)));
}

if (import.meta.url === `file://${process.argv[1]}`) main();
