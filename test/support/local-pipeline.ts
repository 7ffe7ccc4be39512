/**
 * The whole local pipeline for fault tests and the benchmark: embedded s3rver + dynalite, the
 * real handlers in the {@link LocalRunner}, and optionally a {@link FaultProxy} between the
 * pipeline's SDK clients and each server (the test's own uploads and checks go direct, so a
 * fault hits the pipeline only) and a {@link CallMeter} on the pipeline's clients.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach } from 'vitest';
import { DomainWorker } from '#local/domain-worker.ts';
import { clientsFor, type Embedded, startEmbedded } from '#local/embedded.ts';
import { type HandlerFactory, LocalRunner, type RunnerOptions } from '#local/runner.ts';
import { type LocalConnection, localDeps, quietLogger } from '#local/wiring.ts';
import type { ArticleItem } from '#shared/domain/item.ts';
import type { StepName } from '#shared/pipeline.ts';
import type { IngestionRecord } from '#shared/ports/index.ts';
import type { StepSettings } from '#shared/runtime.ts';
import type { CallMeter } from '../../scripts/bench/call-meter.ts';
import { collect } from './collect.ts';
import { FaultProxy } from './fault-proxy.ts';
import { REAL_HANDLERS } from './handlers.ts';

export interface LocalPipelineOptions {
  readonly handlers: Readonly<Record<StepName, HandlerFactory>>;
  /** Put fault proxies in front of S3 and DynamoDB for the pipeline's clients. */
  readonly faults?: boolean;
  readonly meter?: CallMeter;
  /** Feed s3rver's upload events to the pipeline (off: the test enqueues events itself). @default true */
  readonly attachEvents?: boolean;
  readonly settings?: Partial<StepSettings>;
  /** Run the domain on a worker thread, as `newsflow run` does (the benchmark). @default false */
  readonly domainWorker?: boolean;
  readonly runner?: Partial<
    Pick<RunnerOptions, 'retryDelayMs' | 'batchingWindowMs' | 'logger' | 'onDeadLetter' | 'onBatchDone'>
  >;
}

/** A running local pipeline. */
export interface LocalPipeline {
  readonly embedded: Embedded;
  readonly runner: LocalRunner;
  /** The pipeline's own connection (through the proxies when `faults`). */
  readonly connection: LocalConnection;
  readonly proxies: { readonly s3: FaultProxy; readonly dynamodb: FaultProxy } | null;
  /** Upload one object straight to s3rver (never through a proxy); returns its ETag. */
  upload(key: string, body: string | Uint8Array): Promise<string | null>;
  /** Every ingestion record, read straight from dynalite. */
  ingestions(): Promise<IngestionRecord[]>;
  /** What `newsflow failures` lists, read straight from dynalite. */
  failures(): Promise<IngestionRecord[]>;
  /** Every stored article, read straight from dynalite. */
  articles(): Promise<ArticleItem[]>;
  stop(): Promise<void>;
}

/** Start the pipeline on a fresh data dir. */
export async function startLocalPipeline(opts: LocalPipelineOptions): Promise<LocalPipeline> {
  const dataDir = await mkdtemp(join(tmpdir(), 'newsflow-pipeline-'));
  const embedded = await startEmbedded({ dataDir });
  const proxies = opts.faults
    ? {
        s3: await FaultProxy.start(embedded.endpoints.s3Endpoint),
        dynamodb: await FaultProxy.start(embedded.endpoints.dynamodbEndpoint),
      }
    : null;
  const endpoints = proxies
    ? { ...embedded.endpoints, s3Endpoint: proxies.s3.endpoint, dynamodbEndpoint: proxies.dynamodb.endpoint }
    : embedded.endpoints;
  const clients = clientsFor(endpoints);
  if (opts.meter) {
    opts.meter.attachS3(clients.s3);
    opts.meter.attachDynamo(clients.dynamodb);
    opts.meter.attachDynamo(clients.rawDynamodb);
  }
  const connection: LocalConnection = { endpoints, ...clients };
  const base = localDeps(connection);
  const domain = opts.domainWorker ? new DomainWorker().warm() : undefined;
  const deps = { ...base, settings: { ...base.settings, ...opts.settings }, ...(domain ? { domain } : {}) };
  const runner = new LocalRunner({
    handlers: opts.handlers,
    deps,
    logger: quietLogger,
    bucket: embedded.endpoints.bucket,
    region: embedded.endpoints.region,
    // Tests and the benchmark do not wait a second per step for batches to fill.
    batchingWindowMs: 20,
    ...opts.runner,
  });
  const detach = opts.attachEvents === false ? () => {} : runner.attach(embedded.events);
  runner.start();

  // Reads for assertions go straight to dynalite, whatever the proxies are doing.
  const direct = localDeps(embedded);
  return {
    embedded,
    runner,
    connection,
    proxies,
    async upload(key, body) {
      const out = await embedded.s3.send(
        new PutObjectCommand({ Bucket: embedded.endpoints.bucket, Key: key, Body: body }),
      );
      return out.ETag?.replace(/"/g, '') ?? null;
    },
    ingestions: () => collect(direct.ingestions.list()),
    failures: () => collect(direct.ingestions.listFailures()),
    articles: () => collect(direct.articles.scan()),
    async stop() {
      detach();
      await runner.stop();
      clients.s3.destroy();
      clients.dynamodb.destroy();
      clients.rawDynamodb.destroy();
      await domain?.close();
      await proxies?.s3.close();
      await proxies?.dynamodb.close();
      await embedded.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * For test files: a starter whose pipelines (the real handlers unless given) are all stopped
 * after each test, whether it passed or not.
 */
export function pipelinePerTest(): (opts?: Partial<LocalPipelineOptions>) => Promise<LocalPipeline> {
  const running: LocalPipeline[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
  });
  return async (opts = {}) => {
    const p = await startLocalPipeline({ handlers: REAL_HANDLERS, ...opts });
    running.push(p);
    return p;
  };
}
