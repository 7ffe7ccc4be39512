import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { StepDeps } from '#shared/runtime.ts';
import { createSqsBatchHandler } from '#shared/steps/sqs-batch-handler.ts';

// Found by the DynamoDB-outage fault test: the local runner invokes one handler up to
// `maxConcurrency` times at once (Lambda never does), and the handler shared one Powertools
// BatchProcessor between invocations. Its state (records, failures) is per batch, so a
// concurrent batch overwrote it: failed records were reported as successes, deleted from the
// queue, and lost without a failure record.

const record = (id: string): SQSRecord => ({
  messageId: id,
  receiptHandle: id,
  body: id,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '0',
    SenderId: 'test',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
  awsRegion: 'us-east-1',
});

const context = {
  functionName: 'f',
  awsRequestId: 'r',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

describe('SQS batch handler under concurrent invocations', () => {
  it('reports each batch its own failures when batches overlap', async () => {
    // Prepare: fail-* records throw at once, slow-* records take 40 ms, the rest 1 ms
    const deps = { logger: new Logger({ logLevel: 'SILENT' }) } as unknown as StepDeps;
    const handler = createSqsBatchHandler(deps, async (r) => {
      if (r.body.startsWith('fail')) throw new Error(`${r.body} failed`);
      await new Promise((res) => setTimeout(res, r.body.startsWith('slow') ? 40 : 1));
    });
    const slow: SQSEvent = { Records: [record('fail-1'), record('slow-1')] };
    const fast: SQSEvent = { Records: [record('ok-2'), record('ok-3')] };

    // Act: the second invocation starts after the first batch's failure, before it finishes
    const first = handler(slow, context);
    await new Promise((res) => setTimeout(res, 10));
    const second = handler(fast, context);
    const [a, b] = await Promise.all([first, second]);

    // Assess
    expect(a.batchItemFailures).toEqual([{ itemIdentifier: 'fail-1' }]);
    expect(b.batchItemFailures).toEqual([]);
  });
});
