/**
 * Redrive on AWS: move a step's dead letters back to the step's queue with an SQS message move
 * task (StartMessageMoveTask), after the fault that dead-lettered them is fixed. Functions take
 * an SQS client, so the CLI and tests choose where it points. Queues are found by the names the
 * stack gives them (derived from the stage), so no stack outputs are needed.
 */
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  QueueDoesNotExist,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { DependencyError, NotFoundError } from '../errors.ts';
import { names } from '../names.ts';
import { deadLetterQueueName, queueName } from '../pipeline.ts';

/** A step's queue and dead-letter queue, by name. */
export interface StepQueueNames {
  readonly step: string;
  readonly queue: string;
  readonly deadLetterQueue: string;
}

/** Queue names of `step` in `stage`, as the pipeline stack creates them. */
export function stepQueueNames(stage: string, step: string): StepQueueNames {
  const { prefix } = names(stage);
  return { step, queue: queueName(prefix, step), deadLetterQueue: deadLetterQueueName(prefix, step) };
}

/** What {@link startRedrive} did. */
export interface RedriveStart {
  readonly step: string;
  /** `started`: a new move task; `running`: one was already moving this queue; `empty`: nothing to move. */
  readonly status: 'started' | 'running' | 'empty';
  readonly deadLetterQueueArn: string;
  readonly destinationArn: string;
  /** Approximate number of messages in the dead-letter queue when asked. */
  readonly messages: number;
  /** Handle of the move task (to follow or cancel it), null when nothing was started. */
  readonly taskHandle: string | null;
}

/** Progress of the latest move task out of a dead-letter queue. */
export interface RedriveProgress {
  readonly status: 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';
  readonly moved: number;
  readonly toMove: number | null;
  readonly failureReason: string | null;
  readonly taskHandle: string | null;
}

interface QueueInfo {
  readonly arn: string;
  readonly messages: number;
}

async function queueInfo(sqs: SQSClient, name: string): Promise<QueueInfo> {
  let url: string | undefined;
  try {
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    if (error instanceof QueueDoesNotExist) {
      const region = await sqs.config.region();
      throw new NotFoundError(`No queue ${name} in ${region}: is this stage deployed in this region?`, {
        cause: error,
      });
    }
    throw new DependencyError(`Could not look up queue ${name}`, { cause: error });
  }
  const attributes = (
    await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages'],
      }),
    )
  ).Attributes;
  const arn = attributes?.QueueArn;
  if (!arn) throw new DependencyError(`SQS returned no ARN for queue ${name}`);
  return { arn, messages: Number(attributes.ApproximateNumberOfMessages ?? 0) };
}

/** The latest move task out of the dead-letter queue `deadLetterQueueArn`, or null when there was none. */
export async function redriveProgress(
  sqs: SQSClient,
  deadLetterQueueArn: string,
): Promise<RedriveProgress | null> {
  const { Results } = await sqs.send(
    new ListMessageMoveTasksCommand({ SourceArn: deadLetterQueueArn, MaxResults: 1 }),
  );
  const latest = Results?.[0];
  if (!latest) return null;
  return {
    status: (latest.Status ?? 'FAILED') as RedriveProgress['status'],
    moved: latest.ApproximateNumberOfMessagesMoved ?? 0,
    toMove: latest.ApproximateNumberOfMessagesToMove ?? null,
    failureReason: latest.FailureReason ?? null,
    taskHandle: latest.TaskHandle ?? null,
  };
}

/**
 * Start moving the dead letters of `queues` back to the step's queue. Does nothing when the
 * dead-letter queue is empty, and does not start a second task while one is running (SQS allows
 * one per queue). `maxMessagesPerSecond` throttles the move (default: SQS's own pace).
 */
export async function startRedrive(
  sqs: SQSClient,
  queues: StepQueueNames,
  opts: { readonly maxMessagesPerSecond?: number } = {},
): Promise<RedriveStart> {
  const [dlq, source] = await Promise.all([
    queueInfo(sqs, queues.deadLetterQueue),
    queueInfo(sqs, queues.queue),
  ]);
  const base = {
    step: queues.step,
    deadLetterQueueArn: dlq.arn,
    destinationArn: source.arn,
    messages: dlq.messages,
  };
  const current = await redriveProgress(sqs, dlq.arn);
  if (current?.status === 'RUNNING') return { ...base, status: 'running', taskHandle: current.taskHandle };
  if (dlq.messages === 0) return { ...base, status: 'empty', taskHandle: null };
  const { TaskHandle } = await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: dlq.arn,
      DestinationArn: source.arn,
      ...(opts.maxMessagesPerSecond ? { MaxNumberOfMessagesPerSecond: opts.maxMessagesPerSecond } : {}),
    }),
  );
  return { ...base, status: 'started', taskHandle: TaskHandle ?? null };
}

/**
 * Poll the move task out of `deadLetterQueueArn` until it is no longer running; `onProgress`
 * sees each poll. Resolves with the final progress (null if SQS lists no task).
 */
export async function waitForRedrive(
  sqs: SQSClient,
  deadLetterQueueArn: string,
  opts: {
    readonly pollMs?: number;
    readonly onProgress?: (p: RedriveProgress) => void;
    readonly stop?: Promise<void>;
  } = {},
): Promise<RedriveProgress | null> {
  let stopped = false;
  void opts.stop?.then(() => {
    stopped = true;
  });
  for (;;) {
    const progress = await redriveProgress(sqs, deadLetterQueueArn);
    if (progress?.status !== 'RUNNING' || stopped) return progress;
    opts.onProgress?.(progress);
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 5_000));
  }
}
