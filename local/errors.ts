/** Faults of the local embedded mode and CLI; each maps to a documented exit code in cli.ts. */
import { NewsflowError } from '#shared/errors.ts';
import type { Endpoints } from './embedded.ts';

/** Another live `newsflow` process serves this data dir (dynalite holds the LevelDB lock). */
export class DataDirBusyError extends NewsflowError {
  constructor(
    readonly dataDir: string,
    readonly running: Endpoints,
  ) {
    super(
      `newsflow is already serving ${dataDir} (pid ${running.pid}, S3 ${running.s3Endpoint}). ` +
        'Stop it (Ctrl-C) or pass another --data-dir; to add files to the running instance, upload them ' +
        `with: aws s3 cp FILE s3://${running.bucket}/incoming/SOURCE/ --endpoint-url ${running.s3Endpoint}`,
    );
  }
}

/** An embedded server could not start (port taken, data dir unreadable). */
export class EmbeddedStartError extends NewsflowError {}

/** Bad command-line usage: unknown command or option, missing argument. */
export class UsageError extends NewsflowError {}

/** The embedded servers' process went away while a session was using it. */
export class EmbeddedLostError extends NewsflowError {}
