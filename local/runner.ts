/**
 * The local runner: one in-process queue and dead-letter queue per step of {@link PIPELINE}, with
 * that step's settings, and consumers that invoke the same handler factories Lambda runs with
 * SQS-shaped events, honouring `batchItemFailures`. Uploads under `incoming/` reach the first
 * queue as real-shaped S3 notifications (s3rver's own events are normalized here).
 */
import { createHash, randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { S3rverEvent } from 's3rver';
import { BUCKET_PREFIXES, PIPELINE, type StepDefinition, type StepName } from '#shared/pipeline.ts';
import type { IngestionRecord } from '#shared/ports/index.ts';
import type { StepDeps } from '#shared/runtime.ts';
import { toS3Event, type UploadDescription } from '#shared/s3-events.ts';
import { unfinishedChunks } from '#shared/steps/batch-recovery.ts';
import { deadLetterRecords } from '#shared/steps/dead-letter.ts';
import { type DeadLetteredMessage, LocalQueue, type ReceivedMessage } from './queue.ts';
import type { S3EventSource } from './servers.ts';

/** What Lambda invokes: an SQS batch handler reporting partial failures. */
export type BatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** A handler factory as exported by `functions/<step>/handler.ts`. */
export type HandlerFactory = (deps: StepDeps) => BatchHandler;

/** The ports every step shares; the runner adds each step's `next` queue, logger and error hook. */
export type SharedDeps = Omit<StepDeps, 'next' | 'logger' | 'onRecordError'>;

export interface RunnerOptions {
  /** One handler factory per step. */
  readonly handlers: Readonly<Record<StepName, HandlerFactory>>;
  readonly deps: SharedDeps;
  readonly logger: (step: StepName) => Logger;
  /** Bucket uploads land in (for synthesized S3 events). */
  readonly bucket: string;
  readonly region: string;
  /** Delay before a failed message is retried. @default 200 ms × 2^(receives − 1) */
  readonly retryDelayMs?: (receiveCount: number) => number;
  /** Overrides every step's batching window, in ms. @default the step's `maxBatchingWindowSeconds` */
  readonly batchingWindowMs?: number;
  /** Told after each batch a step finished, with the messages it completed (not the failed ones). */
  readonly onBatchDone?: (step: StepName, completed: readonly ReceivedMessage[]) => void;
  /** Told about each message dead-lettered, after its failure record is written. */
  readonly onDeadLetter?: (step: StepName, letter: DeadLetteredMessage) => void;
}

interface StepRuntime {
  readonly definition: StepDefinition;
  readonly queue: LocalQueue;
  readonly dlq: LocalQueue;
  readonly handler: BatchHandler;
  readonly errors: Map<string, string>;
}

let lastSequencer = 0n;

/**
 * A fresh S3-style sequencer: hex, increasing within and across runs (time-based), so the
 * Ingestions log orders a re-upload after the upload before it, as S3's sequencers do.
 */
export function nextSequencer(): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  lastSequencer = now > lastSequencer ? now : lastSequencer + 1n;
  return lastSequencer.toString(16).toUpperCase().padStart(16, '0');
}

const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** Runs the pipeline in-process; see the module comment. */
export class LocalRunner {
  private readonly steps = new Map<StepName, StepRuntime>();
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly sources = new Set<S3EventSource>();
  private readonly options: RunnerOptions;

  constructor(options: RunnerOptions) {
    this.options = options;
    // Every consumer loop waits on this one signal.
    setMaxListeners(0, this.abort.signal);
    // Build back to front so each step's `next` exists when it is wired.
    let next: LocalQueue | null = null;
    for (const definition of [...PIPELINE].reverse()) {
      const dlq: LocalQueue = new LocalQueue({
        name: `q.${definition.name}-dlq`,
        visibilityTimeoutMs: definition.timeoutSeconds * 1000,
        maxReceiveCount: Number.POSITIVE_INFINITY,
      });
      const queue: LocalQueue = new LocalQueue({
        name: `q.${definition.name}`,
        // AWS recommends six times the function timeout; locally a hung handler is retried sooner.
        visibilityTimeoutMs: definition.timeoutSeconds * 1000,
        maxReceiveCount: definition.queue.maxReceiveCount,
        ...(options.retryDelayMs ? { retryDelayMs: options.retryDelayMs } : {}),
        deadLetterQueue: dlq,
        onDeadLetter: (letter) => this.recordDeadLetter(definition.name, letter),
      });
      const errors = new Map<string, string>();
      const deps: StepDeps = {
        ...options.deps,
        next,
        self: definition.access.some((a) => a.resource === 'ownQueue') ? queue : null,
        logger: options.logger(definition.name),
        onRecordError: (messageId, error) => errors.set(messageId, errorText(error)),
      };
      this.steps.set(definition.name, {
        definition,
        queue,
        dlq,
        handler: options.handlers[definition.name](deps),
        errors,
      });
      next = queue;
    }
  }

  /** Start one consumer loop per allowed concurrent invocation of each step. */
  start(): this {
    for (const step of this.steps.values()) {
      for (let i = 0; i < step.definition.queue.maxConcurrency; i++) this.loops.push(this.consume(step));
    }
    return this;
  }

  /** The queue feeding `step`. */
  queue(step: StepName): LocalQueue {
    return this.step(step).queue;
  }

  /** The dead-letter queue of `step`. */
  deadLetterQueue(step: StepName): LocalQueue {
    return this.step(step).dlq;
  }

  /** Enqueue the S3 notification real S3 would send for `upload` (a new sequencer unless given). */
  enqueueUpload(upload: Omit<UploadDescription, 'sequencer' | 'region'> & { sequencer?: string }): void {
    const event = toS3Event({
      ...upload,
      sequencer: upload.sequencer ?? nextSequencer(),
      region: this.options.region,
    });
    this.queue('normalize').sendNow([{ body: JSON.stringify(event) }]);
  }

  /**
   * Feed s3rver's write events to the normalize queue, as S3 would: only `incoming/` creations,
   * keys encoded, a proper ARN, event version 2.1, increasing sequencers, multipart completions
   * named as such. {@link idle} then also waits for the source's events in transit. Returns a
   * function that unsubscribes.
   */
  attach(source: S3EventSource): () => void {
    const listener = (event: S3rverEvent): void => {
      for (const record of event.Records) {
        const { key, size, eTag } = record.s3.object;
        if (!record.eventName.startsWith('ObjectCreated:') || !key.startsWith(BUCKET_PREFIXES.incoming))
          continue;
        const etag = eTag?.replace(/"/g, '') ?? null;
        // s3rver reports a completed multipart upload as a POST; its ETag gives it away (`<md5>-<parts>`).
        const multipart = record.eventName === 'ObjectCreated:Post' && etag !== null && /-\d+$/.test(etag);
        this.enqueueUpload({
          bucket: record.s3.bucket.name,
          key,
          size: size ?? 0,
          etag,
          eventTime: record.eventTime,
          eventName: multipart ? 'ObjectCreated:CompleteMultipartUpload' : record.eventName,
        });
      }
    };
    const unsubscribe = source.subscribe(listener);
    this.sources.add(source);
    return () => {
      unsubscribe();
      this.sources.delete(source);
    };
  }

  /**
   * Enqueue every raw object under `incoming/` that has no Ingestions record (uploads whose
   * messages were still in memory when a previous process stopped), and the chunks of batch files
   * left part-done that way (lines without a record). Returns how many files it resumed.
   */
  async reconcile(): Promise<number> {
    const recorded = new Map<string, IngestionRecord[]>();
    for await (const r of this.options.deps.ingestions.list({ rawKeyPrefix: BUCKET_PREFIXES.incoming })) {
      const list = recorded.get(r.rawKey);
      if (list) list.push(r);
      else recorded.set(r.rawKey, [r]);
    }
    let count = 0;
    const eventTime = new Date().toISOString();
    for await (const key of this.options.deps.blobs.list(BUCKET_PREFIXES.incoming)) {
      const records = recorded.get(key);
      if (records === undefined) {
        this.enqueueUpload({ bucket: this.options.bucket, key, size: 0, etag: null, eventTime });
        count += 1;
      } else if (records.some((r) => r.line > 0)) {
        // Only batch files have line records; each one is read and split again to check it.
        const chunks = await unfinishedChunks(key, records, this.options.deps, eventTime);
        if (chunks.length === 0) continue;
        this.queue('normalize').sendNow(chunks.map((c) => ({ body: JSON.stringify(c) })));
        count += 1;
      }
    }
    return count;
  }

  /**
   * Resolves when every queue is idle at the same moment (nothing visible, delayed or in flight),
   * counting the events of writes already answered that are still on their way from s3rver.
   */
  async idle(): Promise<void> {
    const queues = [...this.steps.values()].map((s) => s.queue);
    for (;;) {
      await Promise.all([...this.sources].map((s) => s.settled()));
      await Promise.all(queues.map((q) => q.idle()));
      if (queues.every((q) => q.isIdle())) return;
    }
  }

  /** Stop consuming; waits for in-flight invocations to finish. Messages still queued are dropped. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
    for (const s of this.steps.values()) {
      s.queue.close();
      s.dlq.close();
    }
  }

  private step(name: StepName): StepRuntime {
    const s = this.steps.get(name);
    if (!s) throw new Error(`No step ${name} in the pipeline`);
    return s;
  }

  private async consume(step: StepRuntime): Promise<void> {
    const { definition, queue } = step;
    const windowMs = this.options.batchingWindowMs ?? definition.queue.maxBatchingWindowSeconds * 1000;
    while (!this.abort.signal.aborted) {
      const batch = await queue.receive({
        max: definition.queue.batchSize,
        batchingWindowMs: windowMs,
        signal: this.abort.signal,
      });
      if (batch.length === 0) continue;
      const failed = await this.invoke(step, batch);
      const completed: ReceivedMessage[] = [];
      for (const m of batch) {
        if (failed.has(m.messageId)) {
          queue.fail(m.receiptHandle, failed.get(m.messageId) ?? null);
        } else {
          queue.delete(m.receiptHandle);
          completed.push(m);
        }
        step.errors.delete(m.messageId);
      }
      if (completed.length > 0) this.options.onBatchDone?.(definition.name, completed);
    }
  }

  /** Invoke the handler once; returns the failed message ids with the error behind each (if known). */
  private async invoke(
    step: StepRuntime,
    batch: readonly ReceivedMessage[],
  ): Promise<Map<string, string | null>> {
    const { definition } = step;
    const timeoutMs = definition.timeoutSeconds * 1000;
    const deadline = Date.now() + timeoutMs;
    const event: SQSEvent = { Records: batch.map((m) => this.toRecord(definition.name, m)) };
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Task timed out after ${definition.timeoutSeconds} seconds`)),
          timeoutMs,
        );
      });
      const response = await Promise.race([
        step.handler(event, lambdaContext(definition, deadline)),
        timeout,
      ]);
      const ids = (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
      return new Map(ids.map((id) => [id, step.errors.get(id) ?? null]));
    } catch (error) {
      // A thrown handler fails the whole batch, as on Lambda.
      const reason = errorText(error);
      return new Map(batch.map((m) => [m.messageId, step.errors.get(m.messageId) ?? reason]));
    } finally {
      clearTimeout(timer);
    }
  }

  private toRecord(step: StepName, m: ReceivedMessage): SQSRecord {
    const record: SQSRecord = {
      messageId: m.messageId,
      receiptHandle: m.receiptHandle,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: 'newsflow-local',
        ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${this.options.region}:000000000000:q-${step}`,
      awsRegion: this.options.region,
    };
    // As SQS sends it, but computed only if read: no step reads it, and hashing every message
    // body (articles travel inline, ≈ 5 KB) was about 1 % of the local pipeline's CPU.
    let md5: string | undefined;
    return Object.defineProperty(record, 'md5OfBody', {
      enumerable: true,
      get: () => {
        md5 ??= createHash('md5').update(m.body).digest('hex');
        return md5;
      },
    });
  }

  /** The failure records for a dead-lettered message: what input it was about, and why it failed. */
  private async recordDeadLetter(step: StepName, letter: DeadLetteredMessage): Promise<void> {
    const why = `after ${letter.receiveCount} receives: ${letter.lastError ?? 'no error reported'}`;
    const records = deadLetterRecords(step, letter.body, why, new Date().toISOString());
    for (const record of records) await this.options.deps.ingestions.record(record);
    this.options.onDeadLetter?.(step, letter);
  }
}

/** A Lambda context with the fields handlers and Powertools read. */
function lambdaContext(step: StepDefinition, deadline: number): Context {
  const fail = (): never => {
    throw new Error('context.done/fail/succeed are not supported locally');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `newsflow-local-${step.name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:newsflow-local-${step.name}`,
    memoryLimitInMB: String(step.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/newsflow-local-${step.name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
}
