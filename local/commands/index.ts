/**
 * The `newsflow` commands, by name, loaded on demand (so `normalize` never loads the AWS SDK or
 * the embedded servers). To add one, write `local/commands/<name>.ts` exporting
 * `command: Command` and add its line here.
 */
import type { Command } from './types.ts';

/** Loads a command module. */
export type CommandLoader = () => Promise<{ readonly command: Command }>;

export const COMMANDS: Readonly<Record<string, CommandLoader>> = {
  normalize: () => import('./normalize.ts'),
  run: () => import('./run.ts'),
  serve: () => import('./serve.ts'),
  export: () => import('./export.ts'),
  ingestions: () => import('./ingestions.ts'),
  failures: () => import('./failures.ts'),
  replay: () => import('./replay.ts'),
  articles: () => import('./articles.ts'),
  cluster: () => import('./cluster.ts'),
  redrive: () => import('./redrive.ts'),
  retag: () => import('./retag.ts'),
};
