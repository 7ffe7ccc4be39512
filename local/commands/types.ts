/** The shape of a `newsflow` command: cli.ts parses argv with `options` and calls `run`. */
import type { ParseArgsConfig } from 'node:util';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { UsageError } from '../errors.ts';

/** Where a command writes; injectable so tests run commands in-process. */
export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** True when stderr is a terminal (progress bars, colours). */
  readonly isTty: boolean;
  readonly cwd: string;
  /** Resolves when the user asks to stop (Ctrl-C / SIGTERM); used by long-running commands. */
  readonly interrupted: Promise<void>;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandInput {
  readonly values: OptionValues;
  readonly positionals: readonly string[];
  readonly io: Io;
}

export interface Command {
  /** One line for `newsflow help`. */
  readonly summary: string;
  /** Usage line(s) after `newsflow <name>`. */
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Returns the process exit code (see EXIT in cli.ts). */
  run(input: CommandInput): Promise<number>;
}

/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  /** Some inputs could not be processed (normalize), or a run left inputs unaccounted for. */
  inputFailed: 1,
  usage: 2,
  /** Another newsflow process serves the data dir. */
  busy: 3,
  /** An embedded server could not start (port taken, data dir unreadable). */
  startFailed: 4,
  /** A bug or an unexpected fault. */
  internal: 70,
  interrupted: 130,
} as const;

/** `--data-dir` as every storage command declares it. */
export const DATA_DIR_OPTION = { 'data-dir': { type: 'string' } } as const;

/** Write one JSON line. */
export const writeJsonLine = (out: NodeJS.WritableStream, value: unknown): void => {
  out.write(`${JSON.stringify(value)}\n`);
};

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;

/**
 * `--batching-window-ms`: how long the local queues gather a batch before invoking a step. The
 * pipeline's own window is 1 s (on AWS a fuller batch saves invocations); locally waiting buys
 * nothing, and at the end of a `run` every step would wait out its window on the last few
 * messages, so `serve` and `run` gather for 100 ms unless told otherwise.
 */
export function batchingWindowOf(values: OptionValues): number {
  const given = values['batching-window-ms'];
  const ms = given === undefined ? 100 : Number(given);
  if (!Number.isInteger(ms) || ms < 0)
    throw new UsageError(`--batching-window-ms must be a whole number, got ${String(given)}`);
  return ms;
}

/** `--log-level` (the handlers' Powertools level), or `fallback`; an unknown level is a usage error. */
export function logLevelOf(values: OptionValues, fallback: LogLevel): LogLevel {
  const given = values['log-level'];
  if (given === undefined) return fallback;
  const level = LOG_LEVELS.find((l) => l === String(given).toUpperCase());
  if (!level)
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${String(given)}`);
  return level;
}
