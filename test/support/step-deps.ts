/**
 * StepDeps for tests: the real AWS adapters pointed at the servers of {@link startLocalAws}, and
 * a next queue that records what a step sent (SQS itself has no local server here).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoArticleStore } from '#shared/adapters/aws/dynamo-article-store.ts';
import { DynamoFingerprintIndex } from '#shared/adapters/aws/dynamo-fingerprint-index.ts';
import { DynamoIngestionLog } from '#shared/adapters/aws/dynamo-ingestion-log.ts';
import { S3BlobStore } from '#shared/adapters/aws/s3-blob-store.ts';
import type { Queue, QueueMessage } from '#shared/ports/index.ts';
import type { StepDeps, StepSettings } from '#shared/runtime.ts';
import type { LocalAws } from './local-aws.ts';

/** A queue that keeps what was sent, in order. */
export class RecordingQueue implements Queue {
  readonly sent: QueueMessage[] = [];
  async send(messages: readonly QueueMessage[]): Promise<void> {
    this.sent.push(...messages);
  }
  /** Bodies sent so far, parsed. */
  bodies(): unknown[] {
    return this.sent.map((m) => JSON.parse(m.body));
  }
  /** Take and forget what was sent so far. */
  drain(): string[] {
    return this.sent.splice(0).map((m) => m.body);
  }
}

/** Dependencies on the local servers; `settings` override the defaults. */
export function testDeps(
  aws: LocalAws,
  opts: { next?: Queue | null; settings?: Partial<StepSettings>; now?: () => Date } = {},
): StepDeps {
  const now = opts.now ?? (() => new Date());
  return {
    blobs: new S3BlobStore(aws.s3, aws.bucket),
    articles: new DynamoArticleStore(aws.doc, aws.tables.articles, now),
    fingerprints: new DynamoFingerprintIndex(aws.doc, aws.tables.fingerprints),
    ingestions: new DynamoIngestionLog(aws.doc, aws.tables.ingestions),
    next: opts.next === undefined ? new RecordingQueue() : opts.next,
    logger: new Logger({ serviceName: 'newsflow-test', logLevel: 'SILENT' }),
    settings: {
      duplicatePolicy: 'link',
      maxDocumentBytes: 5 * 1024 * 1024,
      pipelineVersion: 'test',
      ...opts.settings,
    },
    now,
  };
}
