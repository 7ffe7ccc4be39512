import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDedupeHandler } from '#functions/dedupe/handler.ts';
import { createNormalizeHandler } from '#functions/normalize/handler.ts';
import { createStoreHandler } from '#functions/store/handler.ts';
import { createTagHandler } from '#functions/tag/handler.ts';
import { PowertoolsStepMetrics } from '#shared/adapters/aws/powertools-metrics.ts';
import { CountingMetrics, METRICS_NAMESPACE } from '#shared/metrics.ts';
import { toS3Event } from '#shared/s3-events.ts';
import { makeArticle, makeTagged } from '../support/articles.ts';
import { lambdaContext, sqsEvent } from '../support/lambda-events.ts';
import { type LocalAws, startLocalAws } from '../support/local-aws.ts';
import { RecordingQueue, testDeps } from '../support/step-deps.ts';

const BAD_INPUT = join(import.meta.dirname, '..', 'fixtures', 'bad-input');

/** One EMF document as CloudWatch reads it (only the parts asserted here). */
interface EmfDocument {
  readonly _aws: {
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => {
  await aws?.stop();
});

/** Upload `file` from the bad-input fixtures and return the SQS body S3 would queue for it. */
async function uploadFixture(file: string): Promise<string> {
  const key = `incoming/metrics/${file}`;
  const body = readFileSync(join(BAD_INPUT, file));
  const out = await aws.s3.send(new PutObjectCommand({ Bucket: aws.bucket, Key: key, Body: body }));
  const event = toS3Event({
    bucket: aws.bucket,
    key,
    size: body.byteLength,
    etag: out.ETag?.replace(/"/g, '') ?? null,
    sequencer: '0062E99A88DC407460',
    eventTime: new Date().toISOString(),
  });
  return JSON.stringify(event);
}

describe('step metrics', () => {
  it('reach stdout as embedded metric format: articles normalized and rejections by failure code', async () => {
    // Prepare: the real normalize handler with the metrics Lambda uses, on a batch file with
    // three good lines and five bad ones (fixture manifest: test/fixtures/bad-input/expected.json).
    // Lambda's own setting for an on-demand environment: without it Powertools sees no cold start.
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const deps = { ...testDeps(aws), metrics: new PowertoolsStepMetrics('normalize') };
    vi.unstubAllEnvs();
    const handler = createNormalizeHandler(deps);
    const body = await uploadFixture('bad-lines.jsonl');
    // Capturing stdout, not mocking it: EMF's transport is the process's stdout.
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });

    // Act
    try {
      await handler(
        sqsEvent([body], { queue: 'newsflow-test-normalize' }),
        lambdaContext('newsflow-normalize'),
      );
    } finally {
      write.mockRestore();
    }

    // Assess: every document is in our namespace; the plain counts and each reason's count are there.
    const docs = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l) as EmfDocument);
    for (const doc of docs) expect(doc._aws.CloudWatchMetrics[0]?.Namespace).toBe(METRICS_NAMESPACE);
    const countOf = (name: string, dims: Record<string, string> = {}) =>
      docs.find(
        (d) =>
          d._aws.CloudWatchMetrics[0]?.Metrics.some((m) => m.Name === name && m.Unit === 'Count') &&
          Object.entries(dims).every(([k, v]) => d[k] === v),
      )?.[name];
    expect(countOf('ArticlesNormalized', { service: 'normalize' })).toBe(3);
    expect(countOf('RecordsRejected', { reason: 'invalid-record' })).toBe(3);
    expect(countOf('RecordsRejected', { reason: 'unparseable' })).toBe(1);
    expect(countOf('RecordsRejected', { reason: 'no-content' })).toBe(1);
    expect(countOf('ColdStart', { function_name: 'newsflow-normalize' })).toBe(1);
    const rejected = docs.find((d) => d.reason === 'invalid-record');
    expect(rejected?._aws.CloudWatchMetrics[0]?.Dimensions[0]).toEqual(expect.arrayContaining(['reason']));
  });

  it('count duplicates by kind and what the store did with each article', async () => {
    // Prepare: an article, the same article uploaded again, and its text under another URL (an
    // exact duplicate), run one after the other through the real handlers with in-memory counts.
    const metrics = new CountingMetrics();
    const toDedupe = new RecordingQueue();
    const toTag = new RecordingQueue();
    const toStore = new RecordingQueue();
    const step = (next: RecordingQueue | null) => ({ ...testDeps(aws, { next }), metrics });
    const line = readFileSync(join(BAD_INPUT, 'bad-lines.jsonl'), 'utf8').split('\n')[0] ?? '';
    const copied = line.replace('example.com/business/', 'example.org/syndicated/');
    const bodies: string[] = [];
    for (const [name, text] of [
      ['first.jsonl', line],
      ['again.jsonl', line],
      ['copy.jsonl', copied],
    ] as const) {
      const key = `incoming/metrics/dup/${name}`;
      const out = await aws.s3.send(new PutObjectCommand({ Bucket: aws.bucket, Key: key, Body: text }));
      const event = toS3Event({
        bucket: aws.bucket,
        key,
        size: Buffer.byteLength(text),
        etag: out.ETag?.replace(/"/g, '') ?? null,
        sequencer: '0062E99A88DC407461',
        eventTime: new Date().toISOString(),
      });
      bodies.push(JSON.stringify(event));
    }

    // Act: each upload all the way through before the next.
    for (const body of bodies) {
      await createNormalizeHandler(step(toDedupe))(sqsEvent([body]), lambdaContext('normalize'));
      await createDedupeHandler(step(toTag))(sqsEvent(toDedupe.drain()), lambdaContext('dedupe'));
      await createTagHandler(step(toStore))(sqsEvent(toTag.drain()), lambdaContext('tag'));
      await createStoreHandler(step(null))(sqsEvent(toStore.drain()), lambdaContext('store'));
    }

    // Assess
    expect(metrics.total('ArticlesNormalized')).toBe(3);
    expect(metrics.total('DuplicatesFound', { kind: 'exact' })).toBe(1);
    expect(metrics.total('ArticlesTagged')).toBe(3);
    expect(metrics.total('ArticlesStored')).toBe(2);
    expect(metrics.total('ArticlesUnchanged')).toBe(1);
  });

  it('count failed records by fault class, never by message text', async () => {
    // Prepare: a foreign message and one whose claim check is gone, in one batch.
    const metrics = new CountingMetrics();
    const handler = createStoreHandler({ ...testDeps(aws, { next: null }), metrics });
    const missing = makeArticle({ id: 'metrics-missing', text: 'Never written.' });

    // Act
    const response = await handler(
      sqsEvent(['not json', JSON.stringify(makeTagged(missing))]),
      lambdaContext('store'),
    );

    // Assess
    expect(response.batchItemFailures).toHaveLength(2);
    expect(metrics.total('RecordsFailed', { error: 'InvalidMessageError' })).toBe(1);
    expect(metrics.total('RecordsFailed', { error: 'NotFoundError' })).toBe(1);
    expect(metrics.total('ArticlesStored')).toBe(0);
  });
});
