/** `newsflow failures`: inputs that could not be processed, for ops to fix and replay. */
import { awsIngestionLog } from '#shared/ops/aws-stage.ts';
import type { IngestionLog, IngestionRecord } from '#shared/ports/index.ts';
import { localDeps } from '../wiring.ts';
import { AWS_STAGE_OPTIONS, awsStageOf } from './aws.ts';
import { dataDirOf, openForReading } from './data.ts';
import { byKeyAndLine } from './ingestions.ts';
import { type Command, DATA_DIR_OPTION, EXIT, type Io, writeJsonLine } from './types.ts';

/** Print every failure record of `ingestions`, ordered by raw key and line. */
async function printFailures(ingestions: IngestionLog, io: Io): Promise<number> {
  const records: IngestionRecord[] = [];
  for await (const r of ingestions.listFailures()) records.push(r);
  for (const r of records.sort(byKeyAndLine)) {
    writeJsonLine(io.stdout, { rawKey: r.rawKey, line: r.line, step: r.step, reason: r.reason, at: r.at });
  }
  return EXIT.ok;
}

export const command: Command = {
  summary: 'print the failure records as JSON lines: {rawKey, line, step, reason, at}',
  usage: 'failures [--data-dir DIR | --stage STAGE [--region REGION]]',
  options: { ...DATA_DIR_OPTION, ...AWS_STAGE_OPTIONS },
  async run({ values, io }) {
    const aws = awsStageOf(values);
    if (aws) return printFailures(awsIngestionLog(aws.stage, aws.region), io);
    const conn = await openForReading(dataDirOf(values, io.cwd));
    try {
      return await printFailures(localDeps(conn).ingestions, io);
    } finally {
      await conn.close();
    }
  },
};
