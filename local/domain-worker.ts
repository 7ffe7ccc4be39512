/**
 * The local runner's {@link DomainEngine}: the pipeline's pure domain functions (normalize, the
 * near-duplicate fingerprint, tag) on a worker thread.
 *
 * On AWS each step is its own function with its own CPU. Locally the four steps share one event
 * loop, and these functions are its long CPU stretches: a 500-record chunk of a batch file
 * normalizes for a few hundred ms, and a batch of articles fingerprints and tags for tens. While
 * they ran, no step could send a request or read a response, the servers' process sat idle,
 * and then both took turns instead of working side by side (docs/PERFORMANCE.md, "CPU per
 * article, round 5"). On a worker thread they run beside the I/O. The functions, their inputs and
 * their outputs are the same (plain data, copied between threads); only where they run changes.
 *
 * A worker that dies (a crash, or memory exhausted on a pathological input) fails the calls it
 * had in hand, which the queue retries like any failed invocation; the next call starts a new one.
 */
import { Worker } from 'node:worker_threads';
import type { NormalizedArticle } from '#shared/domain/article.ts';
import type { FingerprintInput, NearSubject, NearThresholds } from '#shared/domain/dedupe/near.ts';
import type { BatchSplit, ChunkWindow } from '#shared/domain/normalize/index.ts';
import type { NormalizeResult, NormalizeSettings, RawInput } from '#shared/domain/normalize/types.ts';
import type { TagResult } from '#shared/domain/tag/types.ts';
import type { DomainEngine } from '#shared/runtime.ts';

/** The calls a worker answers: each {@link DomainEngine} method with its arguments. */
export type DomainCall =
  | { readonly op: 'normalize'; readonly args: Parameters<DomainEngine['normalize']> }
  | { readonly op: 'normalizeChunk'; readonly args: Parameters<DomainEngine['normalizeChunk']> }
  | { readonly op: 'fingerprint'; readonly args: Parameters<DomainEngine['fingerprint']> }
  | { readonly op: 'tag'; readonly args: Parameters<DomainEngine['tag']> };

/** What the parent sends. */
export type WorkerRequest = DomainCall & { readonly id: number };

/** What the worker answers: the function's result, or the error it threw (message and stack). */
export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly stack?: string };

/** The worker's entry: a JavaScript file that registers tsx, then loads the TypeScript worker. */
const WORKER_ENTRY = new URL('./domain-worker-entry.js', import.meta.url);

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/** The worker and the calls it has in hand. */
interface Running {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

/**
 * Runs the domain functions on one worker thread: with the servers' process beside it, that
 * keeps a 2-core machine's cores busy.
 */
export class DomainWorker implements DomainEngine {
  private running: Running | null = null;
  private nextId = 1;
  private closed = false;

  /** Start the worker now rather than on the first call (its start-up then overlaps the servers'). */
  warm(): this {
    this.start();
    return this;
  }

  normalize(
    input: RawInput,
    settings: NormalizeSettings,
    chunkRecords?: number,
  ): Promise<NormalizeResult | BatchSplit> {
    return this.call({ op: 'normalize', args: [input, settings, chunkRecords] });
  }

  normalizeChunk(
    input: RawInput,
    settings: NormalizeSettings,
    window: ChunkWindow,
  ): Promise<NormalizeResult> {
    return this.call({ op: 'normalizeChunk', args: [input, settings, window] });
  }

  fingerprint(input: FingerprintInput, thresholds: NearThresholds): Promise<NearSubject | null> {
    return this.call({ op: 'fingerprint', args: [input, thresholds] });
  }

  tag(article: NormalizedArticle): Promise<TagResult> {
    return this.call({ op: 'tag', args: [article] });
  }

  /** Stop the worker; calls still in hand fail. */
  async close(): Promise<void> {
    this.closed = true;
    const running = this.running;
    this.running = null;
    await running?.worker.terminate();
  }

  private call<T>(call: DomainCall): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The domain worker is closed'));
    const { worker, pending } = this.start();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      // A call in hand keeps the process alive until it is answered.
      worker.ref();
      worker.postMessage({ ...call, id } satisfies WorkerRequest);
    });
  }

  /** The running worker, started if there is none (never yet, or the last one died). */
  private start(): Running {
    if (this.running) return this.running;
    const worker = new Worker(WORKER_ENTRY);
    // An idle worker must not keep a finished CLI alive.
    worker.unref();
    const running: Running = { worker, pending: new Map() };
    const fail = (error: Error): void => {
      if (this.running === running) this.running = null;
      for (const p of running.pending.values()) p.reject(error);
      running.pending.clear();
    };
    worker.on('message', (response: WorkerResponse) => {
      const p = running.pending.get(response.id);
      if (!p) return;
      running.pending.delete(response.id);
      if (running.pending.size === 0) worker.unref();
      if (response.ok) p.resolve(response.result);
      else p.reject(Object.assign(new Error(response.message), { stack: response.stack }));
    });
    worker.on('error', (error) =>
      fail(new Error(`The domain worker failed: ${error.message}`, { cause: error })),
    );
    worker.on('exit', (code) => fail(new Error(`The domain worker exited (code ${code})`)));
    this.running = running;
    return running;
  }
}
