/**
 * A local pipeline session: the embedded servers on a data dir plus the runner driving the real
 * handlers, wired to s3rver's events. What `run`, `serve` and `replay` share.
 */
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { DomainWorker } from './domain-worker.ts';
import { type Embedded, type EmbeddedOptions, startEmbedded } from './embedded.ts';
import { HANDLERS } from './handlers.ts';
import { LocalRunner, type RunnerOptions, type SharedDeps } from './runner.ts';
import { localDeps, stepLogger } from './wiring.ts';

export interface SessionOptions extends EmbeddedOptions {
  /** Level of the handlers' Powertools logs (stderr for WARN and above). @default 'ERROR' */
  readonly logLevel?: LogLevel;
  /** Runner hooks and overrides (batching window, retry delay, progress callbacks). */
  readonly runner?: Partial<
    Pick<RunnerOptions, 'batchingWindowMs' | 'retryDelayMs' | 'onBatchDone' | 'onDeadLetter'>
  >;
  /** Handler factories; the real ones unless a test swaps one. */
  readonly handlers?: RunnerOptions['handlers'];
}

export interface Session {
  readonly embedded: Embedded;
  readonly runner: LocalRunner;
  readonly deps: SharedDeps;
  /** Uploads a previous process left unprocessed, enqueued again on start. */
  readonly reconciled: number;
  /**
   * `work`, unless the servers' process dies first: then rejects with its EmbeddedLostError
   * (a session stops on it instead of retrying calls to servers that are gone).
   */
  guard<T>(work: Promise<T>): Promise<T>;
  /** Stop consuming, then close the servers (LevelDB flushed). */
  close(): Promise<void>;
}

/**
 * Start the servers (throws DataDirBusyError when another process serves `dataDir`), start the
 * runner, subscribe it to uploads, and enqueue uploads a previous process left unprocessed.
 */
export async function startSession(opts: SessionOptions): Promise<Session> {
  // Started first, so its start-up overlaps the servers'.
  const domain = new DomainWorker().warm();
  let embedded: Embedded;
  try {
    embedded = await startEmbedded(opts);
  } catch (error) {
    await domain.close();
    throw error;
  }
  const deps = { ...localDeps(embedded), domain };
  const runner = new LocalRunner({
    handlers: opts.handlers ?? HANDLERS,
    deps,
    logger: stepLogger(opts.logLevel ?? 'ERROR'),
    bucket: embedded.endpoints.bucket,
    region: embedded.endpoints.region,
    ...opts.runner,
  });
  const detach = runner.attach(embedded.events);
  runner.start();
  const stop = async (): Promise<void> => {
    await runner.stop();
    await embedded.close();
    await domain.close();
  };
  let reconciled = 0;
  try {
    reconciled = await runner.reconcile();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    embedded,
    runner,
    deps,
    reconciled,
    guard: (work) => Promise.race([work, embedded.lost.then((error) => Promise.reject(error))]),
    close: async () => {
      detach();
      await stop();
    },
  };
}
