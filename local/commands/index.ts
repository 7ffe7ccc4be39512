/**
 * The `newsflow` commands, by name. To add one, write `local/commands/<name>.ts` exporting a
 * {@link Command} and add its line here.
 */
import { exportCommand } from './export.ts';
import { failuresCommand } from './failures.ts';
import { ingestionsCommand } from './ingestions.ts';
import type { Command } from './types.ts';

export const COMMANDS: Readonly<Record<string, Command>> = {
  export: exportCommand,
  ingestions: ingestionsCommand,
  failures: failuresCommand,
};
