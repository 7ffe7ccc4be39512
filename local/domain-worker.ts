/**
 * The local runner's {@link DomainEngine}: the pipeline's pure domain functions (normalize, the
 * near-duplicate fingerprint, tag) on a worker thread.
 *
 * On AWS each step is its own function with its own CPU. Locally the four steps share one event
 * loop, and these functions are its long CPU stretches: a 500-record chunk of a batch file
 * normalizes for a few hundred ms, and a batch of articles fingerprints and tags for tens. While
 * they ran, no step could send a request or read a response, the servers' process sat idle,
 * and then both took turns instead of working side by side (docs/PERFORMANCE.md, "Domain worker
 * thread"). On a worker thread they run beside the I/O. The functions, their inputs and their
 * outputs are the same (plain data, copied between threads); only where they run changes.
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

/** One worker and the calls it has in hand. */
interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

/** Runs the domain functions on `size` worker threads (one suits a 2-core machine). */
export class DomainWorkers implements DomainEngine {
  private readonly slots: (Slot | null)[];
  private nextId = 1;
  private closed = false;

  constructor(size = 1) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => null);
  }

  /** Start the workers now rather than on the first call (their start-up then overlaps the servers'). */
  warm(): this {
    for (let i = 0; i < this.slots.length; i++) this.slot(i);
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

  /** Stop every worker; calls still in hand fail. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = this.slots.flatMap((s) => (s ? [s.worker] : []));
    this.slots.fill(null);
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private call<T>(call: DomainCall): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The domain worker is closed'));
    // The worker with the fewest calls in hand.
    let best = 0;
    for (let i = 1; i < this.slots.length; i++) {
      if ((this.slots[i]?.pending.size ?? 0) < (this.slots[best]?.pending.size ?? 0)) best = i;
    }
    const slot = this.slot(best);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      // A call in hand keeps the process alive until it is answered.
      slot.worker.ref();
      slot.worker.postMessage({ ...call, id } satisfies WorkerRequest);
    });
  }

  private slot(i: number): Slot {
    const existing = this.slots[i];
    if (existing) return existing;
    const worker = new Worker(WORKER_ENTRY);
    // An idle worker must not keep a finished CLI alive.
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    const fail = (error: Error): void => {
      if (this.slots[i] === slot) this.slots[i] = null;
      for (const p of slot.pending.values()) p.reject(error);
      slot.pending.clear();
    };
    worker.on('message', (response: WorkerResponse) => {
      const p = slot.pending.get(response.id);
      if (!p) return;
      slot.pending.delete(response.id);
      if (slot.pending.size === 0) worker.unref();
      if (response.ok) p.resolve(response.result);
      else p.reject(Object.assign(new Error(response.message), { stack: response.stack }));
    });
    worker.on('error', (error) =>
      fail(new Error(`The domain worker failed: ${error.message}`, { cause: error })),
    );
    worker.on('exit', (code) => fail(new Error(`The domain worker exited (code ${code})`)));
    this.slots[i] = slot;
    return slot;
  }
}
