/** An in-memory {@link Io} for running CLI commands in-process in tests. */
import { PassThrough } from 'node:stream';
import type { Io } from '#local/commands/types.ts';

export interface CapturedIo extends Io {
  out(): string;
  err(): string;
  /** Simulate Ctrl-C. */
  interrupt(): void;
}

export function captureIo(cwd: string): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on('data', (c: Buffer) => chunks.out.push(c));
  stderr.on('data', (c: Buffer) => chunks.err.push(c));
  let interrupt: () => void = () => {};
  const interrupted = new Promise<void>((resolve) => {
    interrupt = resolve;
  });
  return {
    stdout,
    stderr,
    isTty: false,
    cwd,
    interrupted,
    interrupt: () => interrupt(),
    out: () => Buffer.concat(chunks.out).toString('utf8'),
    err: () => Buffer.concat(chunks.err).toString('utf8'),
  };
}
