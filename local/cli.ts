/**
 * `newsflow`: parses argv and dispatches to one of {@link COMMANDS} (local/commands/). Exit codes
 * are decided here for faults and by the command for outcomes; see EXIT and the README.
 */
import { parseArgs } from 'node:util';
import { NewsflowError } from '#shared/errors.ts';
import { COMMANDS } from './commands/index.ts';
import { type Command, EXIT, type Io } from './commands/types.ts';
import { DataDirBusyError, EmbeddedStartError, UsageError } from './errors.ts';

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/** Text of `newsflow help`. */
export async function helpText(): Promise<string> {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines: string[] = [];
  for (const [name, load] of Object.entries(COMMANDS)) {
    lines.push(`  ${name.padEnd(width)}  ${(await load()).command.summary}`);
  }
  return [
    'newsflow: raw news files in S3 → normalize → dedupe → tag → DynamoDB, locally on s3rver + dynalite.',
    '',
    'Usage: newsflow <command> [options]   (newsflow <command> --help for its options)',
    '',
    'Commands:',
    ...lines,
    '',
    'Storage commands use --data-dir DIR (default .newsflow/, or NEWSFLOW_DATA_DIR).',
    'Exit codes: 0 ok, 1 some inputs failed, 2 usage, 3 data dir served by another process,',
    '            4 embedded servers could not start, 70 internal fault, 130 interrupted.',
  ].join('\n');
}

const commandHelp = (c: Command): string => `Usage: newsflow ${c.usage}\n\n${c.summary}`;

/** Run the CLI on `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(`${await helpText()}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const load = COMMANDS[name];
  try {
    if (!load)
      throw new UsageError(`Unknown command ${JSON.stringify(name)}. Run \`newsflow help\` for the list.`);
    const { command } = await load();
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: { ...command.options, ...HELP_OPTION },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError(`${(error as Error).message}\nUsage: newsflow ${command.usage}`);
    }
    if (parsed.values.help) {
      io.stdout.write(`${commandHelp(command)}\n`);
      return EXIT.ok;
    }
    return await command.run({ values: parsed.values, positionals: parsed.positionals, io });
  } catch (error) {
    io.stderr.write(`newsflow ${name}: ${describe(error)}\n`);
    return exitCodeOf(error);
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof NewsflowError && !(error instanceof EmbeddedStartError)) return error.message;
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return error instanceof NewsflowError ? `${error.message}${cause}` : (error.stack ?? error.message);
}

function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof DataDirBusyError) return EXIT.busy;
  if (error instanceof EmbeddedStartError) return EXIT.startFailed;
  return EXIT.internal;
}

/** The process-level entry (bin/newsflow.js): real streams, signals wired to `interrupted`. */
export async function entry(): Promise<void> {
  let interrupt: () => void = () => {};
  const interrupted = new Promise<void>((resolve) => {
    interrupt = resolve;
  });
  let signals = 0;
  const onSignal = (): void => {
    signals += 1;
    // A second Ctrl-C means "now": do not wait for a clean shutdown.
    if (signals > 1) process.exit(EXIT.interrupted);
    interrupt();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    isTty: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
    interrupted,
  });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  // Let buffered output drain instead of process.exit(), which may cut a piped stdout short.
  process.exitCode = code;
}
