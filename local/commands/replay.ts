/**
 * `newsflow replay`: send every recorded failure through the pipeline again (after a fix). A
 * normalize failure is replayed as the S3 event of its raw object (same sequencer, so a success
 * settles the failure record), a dead-lettered chunk of a batch file and a later step's failure
 * by resending the message it failed on to that step's queue.
 */
import { createSqsClient } from '#shared/adapters/aws/clients.ts';
import { isChunkMessage } from '#shared/domain/chunk-message.ts';
import { awsIngestionLog, replayOnAws } from '#shared/ops/aws-stage.ts';
import type { StepName } from '#shared/pipeline.ts';
import { PIPELINE } from '#shared/pipeline.ts';
import type { IngestionRecord } from '#shared/ports/index.ts';
import { UsageError } from '../errors.ts';
import { startSession } from '../session.ts';
import { AWS_STAGE_OPTIONS, type AwsStage, awsStageOf } from './aws.ts';
import { dataDirOf } from './data.ts';
import { byKeyAndLine } from './ingestions.ts';
import { type Command, DATA_DIR_OPTION, EXIT, type Io, logLevelOf, writeJsonLine } from './types.ts';

/** What replay will do with the failures: raw objects to re-announce, messages to resend. */
export interface ReplayPlan {
  readonly objects: ReadonlyMap<string, string | null>;
  readonly messages: readonly { readonly step: StepName; readonly body: string }[];
}

const isStep = (name: string): name is StepName => PIPELINE.some((s) => s.name === name);

/** Group failures: one S3 event per raw object (a batch file with bad lines is re-read once). */
export function planReplay(failures: readonly IngestionRecord[]): ReplayPlan {
  const objects = new Map<string, string | null>();
  const messages: { step: StepName; body: string }[] = [];
  for (const f of failures) {
    // A chunk of a batch file is resent as itself; other normalize failures re-read their file.
    const resend = f.step !== 'normalize' || (f.replayMessage && isChunkMessage(f.replayMessage));
    if (resend && isStep(f.step) && f.replayMessage) {
      messages.push({ step: f.step, body: f.replayMessage });
    } else if (f.rawKey.startsWith('incoming/')) {
      objects.set(f.rawKey, f.sequencer);
    }
  }
  return { objects, messages };
}

/** `--dry-run`: one JSON line per object to re-announce and per message to resend. */
function printPlan(plan: ReplayPlan, io: Io): void {
  for (const [key] of plan.objects) writeJsonLine(io.stdout, { replay: 'object', rawKey: key });
  for (const m of plan.messages) writeJsonLine(io.stdout, { replay: 'message', step: m.step, body: m.body });
}

/**
 * Replay on a deployed stage: the same failure records and plan, sent to the stage's queues.
 * The pipeline settles them asynchronously, so this reports what was sent, not the outcome.
 */
async function replayOnStage(aws: AwsStage, only: string | null, dryRun: boolean, io: Io): Promise<number> {
  const failures: IngestionRecord[] = [];
  for await (const f of awsIngestionLog(aws.stage, aws.region).listFailures()) {
    if (only === null || f.step === only) failures.push(f);
  }
  const plan = planReplay(failures);
  if (dryRun) {
    printPlan(plan, io);
    return EXIT.ok;
  }
  const sqs = createSqsClient(aws.region ? { region: aws.region } : {});
  try {
    const sent = await replayOnAws(sqs, aws.stage, plan);
    io.stdout.write(
      `newsflow replay: ${failures.length} failures → sent ${sent.objects} S3 events and ${sent.messages} messages ` +
        `to stage ${aws.stage}; they settle asynchronously: check \`newsflow failures --stage ${aws.stage}\`\n`,
    );
    return EXIT.ok;
  } finally {
    sqs.destroy();
  }
}

export const command: Command = {
  summary: 'send the recorded failures through the pipeline again (after a fix)',
  usage:
    'replay [--data-dir DIR | --stage STAGE [--region REGION]] [--step normalize|dedupe|tag|store] [--dry-run] [--log-level LEVEL]',
  options: {
    ...DATA_DIR_OPTION,
    ...AWS_STAGE_OPTIONS,
    step: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'log-level': { type: 'string' },
  },
  async run({ values, io }) {
    const only = typeof values.step === 'string' ? values.step : null;
    if (only !== null && !isStep(only)) {
      throw new UsageError(`--step must be one of ${PIPELINE.map((s) => s.name).join(', ')}, got ${only}`);
    }
    const aws = awsStageOf(values);
    if (aws) return replayOnStage(aws, only, values['dry-run'] === true, io);
    const session = await startSession({
      dataDir: dataDirOf(values, io.cwd),
      logLevel: logLevelOf(values, 'CRITICAL'),
    });
    try {
      // Uploads reconciled on start are not failures; let them settle first.
      await session.guard(session.runner.idle());
      const failures: IngestionRecord[] = [];
      for await (const f of session.deps.ingestions.listFailures()) {
        if (only === null || f.step === only) failures.push(f);
      }
      const plan = planReplay(failures);
      const missing: string[] = [];
      for (const key of plan.objects.keys()) if (!(await session.deps.blobs.exists(key))) missing.push(key);
      if (values['dry-run'] === true) {
        printPlan(plan, io);
        return EXIT.ok;
      }
      for (const [key, sequencer] of plan.objects) {
        if (missing.includes(key)) continue;
        session.runner.enqueueUpload({
          bucket: session.embedded.endpoints.bucket,
          key,
          size: 0,
          etag: null,
          eventTime: new Date().toISOString(),
          ...(sequencer ? { sequencer } : {}),
        });
      }
      for (const m of plan.messages) session.runner.queue(m.step).sendNow([{ body: m.body }]);
      await session.guard(Promise.race([session.runner.idle(), io.interrupted]));

      const still: IngestionRecord[] = [];
      const replayed = new Set(failures.map((f) => `${f.rawKey}\n${f.line}`));
      for await (const f of session.deps.ingestions.listFailures()) {
        if (replayed.has(`${f.rawKey}\n${f.line}`)) still.push(f);
      }
      io.stdout.write(
        `newsflow replay: ${failures.length} failures (${plan.objects.size} files, ${plan.messages.length} messages) → ` +
          `${failures.length - still.length} settled, ${still.length} still failing\n`,
      );
      for (const key of missing) io.stderr.write(`  ${key}: the raw object is gone, nothing to replay\n`);
      for (const f of still.sort(byKeyAndLine))
        io.stderr.write(`  still failing: ${f.rawKey} line ${f.line}: ${f.reason}\n`);
      return EXIT.ok;
    } finally {
      await session.close();
    }
  },
};
