/**
 * The edge every step handler shares: an SQS batch in, a partial batch response out. Built with
 * middy and Powertools (Logger with the Lambda context; batch processing so one bad record is
 * retried alone and never fails its neighbours). Each record logs through its own logger
 * ({@link RecordLog}), so keys appended for one record (`articleId`, `rawKey`) never leak onto
 * another's lines while records run concurrently.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';
import { InvalidMessageError, NewsflowError } from '../errors.ts';
import type { StepDeps } from '../runtime.ts';
import { RecordLog, type StepLog } from './record-log.ts';

/** An SQS-triggered Lambda handler returning partial batch failures. */
export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** Handles one record; throwing marks it failed (the queue retries it, then dead-letters it). */
export type RecordHandler = (record: SQSRecord, log: StepLog) => Promise<void>;

/** Parse a message body against its schema; a mismatch is an {@link InvalidMessageError}. */
export function parseMessage<S extends z.ZodType>(schema: S, body: string): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw new InvalidMessageError('Message body is not JSON', { cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new InvalidMessageError(`Message does not match its schema: ${parsed.error.message}`);
  return parsed.data;
}

/** Build the SQS handler for a step from its per-record logic. */
export function createSqsBatchHandler(deps: StepDeps, handleRecord: RecordHandler): SqsBatchHandler {
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const log = new RecordLog(deps.logger, { messageId: record.messageId });
    try {
      await handleRecord(record, log);
    } catch (error) {
      deps.onRecordError?.(record.messageId, error);
      // Our own fault classes name the failure; anything else is one bucket, so the dimension
      // stays a small closed set whatever a dependency throws.
      deps.metrics?.count('RecordsFailed', 1, {
        error: error instanceof NewsflowError ? error.name : 'UnexpectedError',
      });
      log.error('Record failed; the queue will retry it', error instanceof Error ? error : String(error));
      throw error;
    }
  };
  const handler = middy(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
      // One processor per invocation: it holds the batch's state, and the local runner invokes a
      // handler concurrently (a shared one reported a batch's failures to another and lost them).
      processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
        context,
        throwOnFullBatchFailure: false,
      }),
  ).use(injectLambdaContext(deps.logger, { resetKeys: true }));
  const flushMetrics = deps.metrics?.middleware?.();
  return flushMetrics ? handler.use(flushMetrics) : handler;
}
