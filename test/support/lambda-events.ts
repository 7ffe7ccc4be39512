/** Real-shaped Lambda inputs: SQS batches as the SQS event source mapping delivers them, and a context. */
import { randomUUID } from 'node:crypto';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

/** One SQS record carrying `body`, as Lambda's SQS event source delivers it. */
export function sqsRecord(
  body: string,
  opts: { queue?: string; receiveCount?: number; messageId?: string } = {},
): SQSRecord {
  const queue = opts.queue ?? 'newsflow-test-dedupe';
  const now = String(Date.now());
  return {
    messageId: opts.messageId ?? randomUUID(),
    receiptHandle: `AQEB${randomUUID().replace(/-/g, '')}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(opts.receiveCount ?? 1),
      SentTimestamp: now,
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${queue}`,
    awsRegion: 'us-east-1',
  };
}

/** An SQS batch event of `bodies`. */
export const sqsEvent = (bodies: readonly string[], opts: { queue?: string } = {}): SQSEvent => ({
  Records: bodies.map((b) => sqsRecord(b, opts)),
});

/** A Lambda context for `functionName`. */
export function lambdaContext(functionName = 'newsflow-test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2025/01/30/[$LATEST]abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
