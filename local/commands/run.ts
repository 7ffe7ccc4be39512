/**
 * `newsflow run <file|dir>…`: upload to the embedded S3 under `incoming/<source>/<relative path>`,
 * let the event-driven pipeline process everything, print a summary and exit 0 once every file is
 * stored or recorded as failed.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, relative, resolve, sep } from 'node:path';
import { mapLimit } from '#shared/map-limit.ts';
import type { IngestionRecord } from '#shared/ports/index.ts';
import { UsageError } from '../errors.ts';
import { listFiles } from '../files.ts';
import { startSession } from '../session.ts';
import { dataDirOf } from './data.ts';
import { byKeyAndLine } from './ingestions.ts';
import {
  batchingWindowOf,
  type Command,
  DATA_DIR_OPTION,
  EXIT,
  type Io,
  logLevelOf,
  writeJsonLine,
} from './types.ts';

/** A file to upload and the key it gets. */
export interface Upload {
  readonly path: string;
  readonly key: string;
}

const SOURCE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const UPLOAD_CONCURRENCY = 8;

/** The uploads for `args`: a file keeps its name, a directory's files keep their path inside it. */
export async function plan(args: readonly string[], source: string, cwd: string): Promise<Upload[]> {
  const uploads = new Map<string, Upload>();
  for (const arg of args) {
    const path = resolve(cwd, arg);
    const info = await stat(path).catch(() => null);
    if (!info) throw new UsageError(`${arg}: no such file or directory`);
    const files = info.isDirectory()
      ? (await listFiles(path)).map((f) => ({ path: f, rel: relative(path, f).split(sep).join('/') }))
      : [{ path, rel: basename(path) }];
    for (const f of files) {
      const key = `incoming/${source}/${f.rel}`;
      if (uploads.has(key))
        throw new UsageError(`${f.path} and ${uploads.get(key)?.path} would both upload to ${key}`);
      uploads.set(key, { path: f.path, key });
    }
  }
  return [...uploads.values()];
}

/** What a run did, from the Ingestions records of its uploads. */
export interface RunSummary {
  readonly files: number;
  readonly records: number;
  readonly stored: number;
  readonly duplicates: number;
  readonly unchanged: number;
  readonly failed: number;
  /** Uploaded files with no record at all (should be none). */
  readonly unaccounted: readonly string[];
  readonly seconds: number;
  readonly articlesPerSecond: number;
}

/** Summarize `records` of a run that uploaded `keys` in `seconds`. */
export function summarize(
  keys: readonly string[],
  records: readonly IngestionRecord[],
  seconds: number,
): RunSummary {
  const count = (...outcomes: string[]) => records.filter((r) => outcomes.includes(r.outcome)).length;
  const seen = new Set(records.map((r) => r.rawKey));
  const articles = count('stored', 'version', 'duplicate', 'unchanged');
  return {
    files: keys.length,
    records: records.length,
    stored: count('stored', 'version'),
    duplicates: count('duplicate'),
    unchanged: count('unchanged'),
    failed: count('failed'),
    unaccounted: keys.filter((k) => !seen.has(k)),
    seconds: Math.round(seconds * 100) / 100,
    articlesPerSecond: seconds > 0 ? Math.round((articles / seconds) * 10) / 10 : 0,
  };
}

/** A one-line progress display on a terminal; a no-op elsewhere. */
function progress(io: Io, total: number) {
  let files = 0;
  let articles = 0;
  let last = 0;
  const draw = (force = false): void => {
    if (!io.isTty) return;
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    const width = 30;
    const done = Math.min(width, Math.round((files / Math.max(1, total)) * width));
    io.stderr.write(
      `\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${files}/${total} files · ${articles} articles`,
    );
  };
  return {
    normalized: (n: number) => {
      files += n;
      draw();
    },
    stored: (n: number) => {
      articles += n;
      draw();
    },
    end: () => {
      if (!io.isTty) return;
      draw(true);
      io.stderr.write('\n');
    },
  };
}

export const command: Command = {
  summary: 'upload files or directories to the embedded S3, process them, print a summary',
  usage:
    'run <file|dir>… [--data-dir DIR] [--source NAME] [--json] [--log-level LEVEL] [--batching-window-ms 100]',
  options: {
    ...DATA_DIR_OPTION,
    source: { type: 'string' },
    json: { type: 'boolean' },
    'log-level': { type: 'string' },
    'batching-window-ms': { type: 'string' },
  },
  async run({ values, positionals, io }) {
    if (positionals.length === 0)
      throw new UsageError('Name at least one file or directory: newsflow run <path>…');
    const source = typeof values.source === 'string' ? values.source : 'local';
    if (!SOURCE.test(source)) {
      throw new UsageError(
        `--source ${JSON.stringify(source)}: use letters, digits, '.', '_' or '-' (it becomes a key prefix)`,
      );
    }
    const logLevel = logLevelOf(values, 'CRITICAL');
    const batchingWindowMs = batchingWindowOf(values);
    const uploads = await plan(positionals, source, io.cwd);
    if (uploads.length === 0) throw new UsageError(`No files under ${positionals.join(', ')}`);

    const bar = progress(io, uploads.length);
    const session = await startSession({
      dataDir: dataDirOf(values, io.cwd),
      logLevel,
      runner: {
        batchingWindowMs,
        onBatchDone: (step, done) => {
          if (step === 'normalize') bar.normalized(done.length);
          if (step === 'store') bar.stored(done.length);
        },
      },
    });
    try {
      const started = Date.now();
      const startedAt = new Date(started).toISOString();
      await mapLimit(uploads, UPLOAD_CONCURRENCY, async (u) => {
        await session.deps.blobs.put(u.key, await readFile(u.path));
      });
      const finished = await session.guard(
        Promise.race([session.runner.idle().then(() => true), io.interrupted.then(() => false)]),
      );
      bar.end();
      if (!finished) {
        io.stderr.write(
          'newsflow run: interrupted; unprocessed uploads are picked up by the next run or serve\n',
        );
        return EXIT.interrupted;
      }
      const seconds = (Date.now() - started) / 1000;
      const keys = new Set(uploads.map((u) => u.key));
      const records: IngestionRecord[] = [];
      for await (const r of session.deps.ingestions.list({ rawKeyPrefix: `incoming/${source}/` })) {
        if (keys.has(r.rawKey) && r.at >= startedAt) records.push(r);
      }
      const summary = summarize([...keys], records, seconds);
      report(io, summary, records, values.json === true);
      return summary.unaccounted.length > 0 ? EXIT.inputFailed : EXIT.ok;
    } finally {
      await session.close();
    }
  },
};

function report(io: Io, s: RunSummary, records: readonly IngestionRecord[], json: boolean): void {
  if (json) {
    writeJsonLine(io.stdout, s);
  } else {
    io.stdout.write(
      `newsflow run: ${s.files} files → ${s.stored} stored, ${s.duplicates} duplicates, ${s.unchanged} unchanged, ` +
        `${s.failed} failed (${s.seconds} s, ${s.articlesPerSecond} articles/s)\n`,
    );
  }
  const failures = records.filter((r) => r.outcome === 'failed').sort(byKeyAndLine);
  for (const f of failures.slice(0, 20)) {
    const where = `${f.rawKey}${f.line > 0 ? ` line ${f.line}` : ''}`;
    io.stderr.write(`  failed: ${f.reason?.startsWith(f.rawKey) ? f.reason : `${where}: ${f.reason}`}\n`);
  }
  if (failures.length > 20) io.stderr.write(`  … ${failures.length - 20} more: newsflow failures\n`);
  for (const key of s.unaccounted)
    io.stderr.write(`  no outcome recorded for ${key} (a bug: please report it)\n`);
}
