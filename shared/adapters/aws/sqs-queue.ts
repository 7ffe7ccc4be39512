/** {@link Queue} over an SQS queue URL, sending in batches as large as SQS allows. */
import {
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DependencyError } from '../../errors.ts';
import { mapLimit } from '../../map-limit.ts';
import type { Queue, QueueMessage } from '../../ports/index.ts';

/** SQS limits on one SendMessageBatch call. */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;
const MAX_ATTEMPTS = 4;
/** SendMessageBatch calls in flight at once. */
const SEND_CONCURRENCY = 8;

/** Split messages into SendMessageBatch-sized groups (at most 10 entries, 256 KB together). */
export function chunkForSqs(messages: readonly QueueMessage[]): QueueMessage[][] {
  const chunks: QueueMessage[][] = [];
  let current: QueueMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = Buffer.byteLength(m.body, 'utf8');
    if (current.length === MAX_ENTRIES || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export class SqsQueue implements Queue {
  constructor(
    private readonly client: SQSClient,
    readonly queueUrl: string,
  ) {}

  async send(messages: readonly QueueMessage[]): Promise<void> {
    // A batch file fans out into thousands of messages: one call at a time would eat the
    // function's timeout, and a standard queue does not keep order anyway.
    await mapLimit(chunkForSqs(messages), SEND_CONCURRENCY, (chunk) => this.sendChunk(chunk));
  }

  /**
   * Send one batch, resending only the entries SQS reports as failed on its side (a batch can
   * partly fail). The SDK already retries whole calls; an entry SQS refuses as malformed is a bug.
   */
  private async sendChunk(chunk: readonly QueueMessage[]): Promise<void> {
    let pending: SendMessageBatchRequestEntry[] = chunk.map((m, i) => ({
      Id: String(i),
      MessageBody: m.body,
      ...(m.delaySeconds !== undefined ? { DelaySeconds: m.delaySeconds } : {}),
    }));
    for (let attempt = 1; ; attempt++) {
      let out: SendMessageBatchCommandOutput;
      try {
        out = await this.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }),
        );
      } catch (error) {
        throw new DependencyError(`SQS: sending to ${this.queueUrl} failed`, { cause: error });
      }
      const failed = out.Failed ?? [];
      const refused = failed.find((f) => f.SenderFault);
      if (refused)
        throw new DependencyError(`SQS refused a message: ${refused.Code} ${refused.Message ?? ''}`);
      if (failed.length === 0) return;
      if (attempt >= MAX_ATTEMPTS) {
        throw new DependencyError(
          `SQS: ${failed.length} message(s) to ${this.queueUrl} failed after ${attempt} tries`,
        );
      }
      const failedIds = new Set(failed.map((f) => f.Id));
      pending = pending.filter((e) => failedIds.has(e.Id));
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
}
