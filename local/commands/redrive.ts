/**
 * `newsflow redrive <step> --stage STAGE [--region REGION] [--wait] [--rate N]`: move a step's
 * dead letters on AWS back to its queue (SQS message move task), once the fault is fixed.
 * Locally there is nothing to redrive: the local runner turns dead letters into failure records
 * (`newsflow failures`, `newsflow replay`).
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createSqsClient } from '#shared/adapters/aws/clients.ts';
import { type RedriveProgress, startRedrive, stepQueueNames, waitForRedrive } from '#shared/ops/redrive.ts';
import { PIPELINE } from '#shared/pipeline.ts';
import { UsageError } from '../errors.ts';
import { type Command, EXIT, type Io, type OptionValues, writeJsonLine } from './types.ts';

/** A checked redrive request. */
export interface RedriveRequest {
  readonly step: string;
  readonly stage: string;
  readonly region: string | undefined;
  readonly wait: boolean;
  readonly maxMessagesPerSecond: number | undefined;
}

const USAGE = 'redrive <step> --stage STAGE [--region REGION] [--wait] [--rate MESSAGES_PER_SECOND]';

/** Check argv for redrive; throws {@link UsageError} naming the fix. */
export function parseRedrive(values: OptionValues, positionals: readonly string[]): RedriveRequest {
  const steps = PIPELINE.map((s) => s.name as string);
  const [step, ...extra] = positionals;
  if (typeof values.stage !== 'string') {
    throw new UsageError(
      'redrive moves dead letters on AWS: pass --stage (and --region unless your profile sets it). ' +
        'Locally, dead letters are failure records: use `newsflow failures` and `newsflow replay`.',
    );
  }
  if (!step || extra.length > 0 || !steps.includes(step)) {
    throw new UsageError(
      `Name one step to redrive: ${steps.join(', ')} (got ${JSON.stringify(positionals)})`,
    );
  }
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(Number.isInteger(rate) && rate >= 1 && rate <= 500)) {
    throw new UsageError(
      `--rate must be a whole number of messages per second, 1-500 (got ${String(values.rate)})`,
    );
  }
  return {
    step,
    stage: values.stage,
    region: typeof values.region === 'string' ? values.region : undefined,
    wait: values.wait === true,
    maxMessagesPerSecond: rate,
  };
}

/** Run a redrive with `sqs`; prints one JSON line for the start and, with --wait, one for the end. */
export async function redrive(sqs: SQSClient, request: RedriveRequest, io: Io): Promise<number> {
  const started = await startRedrive(sqs, stepQueueNames(request.stage, request.step), {
    maxMessagesPerSecond: request.maxMessagesPerSecond,
  });
  writeJsonLine(io.stdout, started);
  if (!request.wait || started.status === 'empty') return EXIT.ok;
  const progress = (p: RedriveProgress) =>
    io.stderr.write(`redrive ${request.step}: ${p.moved}/${p.toMove ?? '?'} moved\n`);
  const final = await waitForRedrive(sqs, started.deadLetterQueueArn, {
    onProgress: progress,
    stop: io.interrupted,
  });
  writeJsonLine(io.stdout, { step: request.step, ...final });
  return final?.status === 'COMPLETED' || final?.status === 'RUNNING' ? EXIT.ok : EXIT.inputFailed;
}

export const command: Command = {
  summary: "move a step's dead letters back to its queue on AWS (after fixing what failed them)",
  usage: USAGE,
  options: {
    stage: { type: 'string' },
    region: { type: 'string' },
    wait: { type: 'boolean' },
    rate: { type: 'string' },
  },
  async run({ values, positionals, io }) {
    const request = parseRedrive(values, positionals);
    const sqs = createSqsClient(request.region ? { region: request.region } : {});
    try {
      return await redrive(sqs, request, io);
    } finally {
      sqs.destroy();
    }
  },
};
