/** `newsflow ingestions`: what became of each input file or batch line. */
import type { IngestionRecord } from '#shared/ports/index.ts';
import { localDeps } from '../wiring.ts';
import { dataDirOf, openForReading } from './data.ts';
import { type Command, DATA_DIR_OPTION, EXIT, writeJsonLine } from './types.ts';

/** Records in a stable order: by raw key, then line. */
export const byKeyAndLine = (a: IngestionRecord, b: IngestionRecord): number =>
  a.rawKey.localeCompare(b.rawKey) || a.line - b.line;

export const command: Command = {
  summary: 'print one JSON line per input file or batch line: {rawKey, line, articleId, outcome, reason}',
  usage: 'ingestions [--data-dir DIR] [--outcome stored|duplicate|version|unchanged|failed]',
  options: { ...DATA_DIR_OPTION, outcome: { type: 'string' } },
  async run({ values, io }) {
    const conn = await openForReading(dataDirOf(values, io.cwd));
    try {
      const records: IngestionRecord[] = [];
      for await (const r of localDeps(conn).ingestions.list()) {
        if (typeof values.outcome === 'string' && r.outcome !== values.outcome) continue;
        records.push(r);
      }
      for (const r of records.sort(byKeyAndLine)) {
        writeJsonLine(io.stdout, {
          rawKey: r.rawKey,
          line: r.line,
          articleId: r.articleId,
          outcome: r.outcome,
          reason: r.reason,
          step: r.step,
          at: r.at,
        });
      }
      return EXIT.ok;
    } finally {
      await conn.close();
    }
  },
};
