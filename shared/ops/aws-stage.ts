/**
 * Ops on a deployed stage: failure records and replay against AWS, with the same records and
 * replay plan as local mode. Resources are found by the names the stacks give them (derived from
 * the stage); the account id needed for the bucket name comes from the first queue's URL, so no
 * stack outputs or extra SDK clients are needed.
 */
import { GetQueueUrlCommand, QueueDoesNotExist, type SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient, createDynamoClient } from '../adapters/aws/clients.ts';
import { DynamoIngestionLog } from '../adapters/aws/dynamo-ingestion-log.ts';
import { SqsQueue } from '../adapters/aws/sqs-queue.ts';
import { DependencyError, NotFoundError } from '../errors.ts';
import { names } from '../names.ts';
import { PIPELINE, queueName } from '../pipeline.ts';
import type { IngestionLog } from '../ports/index.ts';
import { toS3Event } from '../s3-events.ts';

/** The Ingestions table of `stage` in `region` (default: the SDK's region). */
export function awsIngestionLog(stage: string, region: string | undefined): IngestionLog {
  const doc = createDocumentClient(createDynamoClient(region ? { region } : {}));
  return new DynamoIngestionLog(doc, names(stage).ingestionsTable);
}

/** URL of a step's queue in `stage`; throws {@link NotFoundError} naming queue and region. */
export async function stepQueueUrl(sqs: SQSClient, stage: string, step: string): Promise<string> {
  const name = queueName(names(stage).prefix, step);
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    if (!QueueUrl) throw new DependencyError(`SQS returned no URL for ${name}`);
    return QueueUrl;
  } catch (error) {
    if (error instanceof QueueDoesNotExist) {
      throw new NotFoundError(
        `No queue ${name} in ${await sqs.config.region()}: is this stage deployed here?`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

/** What to replay: raw objects (key → original S3 sequencer) and step messages to resend. */
export interface AwsReplayPlan {
  readonly objects: ReadonlyMap<string, string | null>;
  readonly messages: readonly { readonly step: string; readonly body: string }[];
}

/**
 * Replay on AWS: each raw object is announced again to the first queue as the S3 notification S3
 * would send (original sequencer, so a success settles its failure record); each message goes
 * back to its step's queue. Returns how many of each were sent.
 */
export async function replayOnAws(
  sqs: SQSClient,
  stage: string,
  plan: AwsReplayPlan,
  now: () => Date = () => new Date(),
): Promise<{ readonly objects: number; readonly messages: number }> {
  const first = PIPELINE[0]!.name;
  const firstUrl = await stepQueueUrl(sqs, stage, first);
  // Queue URLs are https://sqs.<region>.amazonaws.com/<account>/<name>.
  const account = new URL(firstUrl).pathname.split('/')[1];
  const region = await sqs.config.region();
  const bucket = `${names(stage).bucket}-${account}-${region}`;
  const events = [...plan.objects].map(([key, sequencer]) => ({
    body: JSON.stringify(
      toS3Event({
        bucket,
        key,
        size: 0,
        etag: null,
        sequencer: sequencer ?? now().getTime().toString(16).toUpperCase(),
        eventTime: now().toISOString(),
        region,
      }),
    ),
  }));
  await new SqsQueue(sqs, firstUrl).send(events);

  const byStep = new Map<string, { body: string }[]>();
  for (const m of plan.messages) byStep.set(m.step, [...(byStep.get(m.step) ?? []), { body: m.body }]);
  for (const [step, messages] of byStep) {
    const url = step === first ? firstUrl : await stepQueueUrl(sqs, stage, step);
    await new SqsQueue(sqs, url).send(messages);
  }
  return { objects: events.length, messages: plan.messages.length };
}
