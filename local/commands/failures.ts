/** `newsflow failures`: inputs that could not be processed, for ops to fix and replay. */
import type { IngestionRecord } from '#shared/ports/index.ts';
import { localDeps } from '../wiring.ts';
import { dataDirOf, openForReading } from './data.ts';
import { byKeyAndLine } from './ingestions.ts';
import { type Command, DATA_DIR_OPTION, EXIT, writeJsonLine } from './types.ts';

export const command: Command = {
  summary: 'print the failure records as JSON lines: {rawKey, line, step, reason, at}',
  usage: 'failures [--data-dir DIR]',
  options: { ...DATA_DIR_OPTION },
  async run({ values, io }) {
    const conn = await openForReading(dataDirOf(values, io.cwd));
    try {
      const records: IngestionRecord[] = [];
      for await (const r of localDeps(conn).ingestions.listFailures()) records.push(r);
      for (const r of records.sort(byKeyAndLine)) {
        writeJsonLine(io.stdout, {
          rawKey: r.rawKey,
          line: r.line,
          step: r.step,
          reason: r.reason,
          at: r.at,
        });
      }
      return EXIT.ok;
    } finally {
      await conn.close();
    }
  },
};
