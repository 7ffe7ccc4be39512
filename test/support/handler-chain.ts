/**
 * The four real handlers chained in-process over the servers of {@link startLocalAws}: upload a
 * file, deliver its (real-shaped) S3 event to normalize, then pass each step's output on until
 * every queue is empty. Lets integration tests replay, duplicate and race deliveries themselves.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { createDedupeHandler } from '#functions/dedupe/handler.ts';
import { createNormalizeHandler } from '#functions/normalize/handler.ts';
import { createStoreHandler } from '#functions/store/handler.ts';
import { createTagHandler } from '#functions/tag/handler.ts';
import type { StepSettings } from '#shared/runtime.ts';
import { toS3Event } from '#shared/s3-events.ts';
import type { SqsBatchHandler } from '#shared/steps/sqs-batch-handler.ts';
import { lambdaContext, sqsEvent } from './lambda-events.ts';
import type { LocalAws } from './local-aws.ts';
import { RecordingQueue, testDeps } from './step-deps.ts';

let sequence = 0x62e99a88dc4074;

/** Batch failures reported per step during one delivery. */
export type FailuresByStep = Record<'normalize' | 'dedupe' | 'tag' | 'store', string[]>;

export class HandlerChain {
  private readonly queues = {
    dedupe: new RecordingQueue(),
    tag: new RecordingQueue(),
    store: new RecordingQueue(),
  };
  private readonly handlers: Record<keyof FailuresByStep, SqsBatchHandler>;

  constructor(
    private readonly aws: LocalAws,
    settings: Partial<StepSettings> = {},
  ) {
    this.handlers = {
      normalize: createNormalizeHandler(testDeps(aws, { next: this.queues.dedupe, settings })),
      dedupe: createDedupeHandler(testDeps(aws, { next: this.queues.tag, settings })),
      tag: createTagHandler(testDeps(aws, { next: this.queues.store, settings })),
      store: createStoreHandler(testDeps(aws, { next: null, settings })),
    };
  }

  /** Upload `body` under `key` as a scraper would, and return the event S3 would send for it. */
  async upload(
    key: string,
    body: string | Uint8Array,
    metadata: Record<string, string> = {},
  ): Promise<S3Event> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const out = await this.aws.s3.send(
      new PutObjectCommand({ Bucket: this.aws.bucket, Key: key, Body: bytes, Metadata: metadata }),
    );
    sequence += 1;
    return toS3Event({
      bucket: this.aws.bucket,
      key,
      size: bytes.byteLength,
      etag: out.ETag?.replace(/"/g, '') ?? null,
      sequencer: sequence.toString(16).toUpperCase().padStart(18, '0'),
      eventTime: new Date().toISOString(),
    });
  }

  /** Deliver S3 events (one SQS message each) and run the pipeline until it is idle. */
  async deliver(events: readonly S3Event[]): Promise<FailuresByStep> {
    const failures: FailuresByStep = { normalize: [], dedupe: [], tag: [], store: [] };
    const run = async (step: keyof FailuresByStep, bodies: readonly string[]) => {
      if (bodies.length === 0) return;
      const response = await this.handlers[step](sqsEvent(bodies), lambdaContext(step));
      failures[step].push(...response.batchItemFailures.map((f) => f.itemIdentifier));
    };
    await run(
      'normalize',
      events.map((e) => JSON.stringify(e)),
    );
    // Each step drains what the previous one sent, in SQS-sized batches of 10.
    for (const step of ['dedupe', 'tag', 'store'] as const) {
      const bodies = this.queues[step].drain();
      for (let i = 0; i < bodies.length; i += 10) await run(step, bodies.slice(i, i + 10));
    }
    return failures;
  }
}
