/**
 * An in-process queue with the SQS semantics the pipeline relies on: delayed sends, batched
 * receives with a batching window, a visibility timeout, a receive count, delete on success,
 * retry with backoff on failure and dead-lettering after `maxReceiveCount` receives. Messages
 * live in memory: the runner reconciles from the bucket on start, so a crash loses nothing.
 */
import { randomUUID } from 'node:crypto';
import { TooLargeError } from '#shared/errors.ts';
import type { Queue, QueueMessage } from '#shared/ports/index.ts';

/** SQS's message size limit; enforced here so local runs catch a claim-check violation. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export interface LocalQueueOptions {
  readonly name: string;
  /** How long a received message stays invisible before it is delivered again, in ms. */
  readonly visibilityTimeoutMs: number;
  /** Receives before a message is dead-lettered. */
  readonly maxReceiveCount: number;
  /**
   * Delay before a failed message is visible again, given how often it was received.
   * @default 200 ms × 2^(receiveCount − 1)
   */
  readonly retryDelayMs?: (receiveCount: number) => number;
  /** Queue that dead-lettered messages are moved to (the DLQ). */
  readonly deadLetterQueue?: LocalQueue;
  /** Told about each dead-lettered message (the runner writes a failure record). */
  readonly onDeadLetter?: (message: DeadLetteredMessage) => Promise<void>;
}

export interface ReceiveOptions {
  /** Batch size. */
  readonly max: number;
  /** Once a first message is in hand, how long to gather more, in ms. */
  readonly batchingWindowMs: number;
  /** Long-poll time for the first message, in ms. @default unbounded */
  readonly waitMs?: number;
  /** Ends the wait; the receive returns what it holds. */
  readonly signal?: AbortSignal;
}

/** A message as a consumer receives it. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  /** 1 on the first delivery. */
  readonly receiveCount: number;
  /** Epoch ms. */
  readonly sentAt: number;
  /** Epoch ms of the first delivery. */
  readonly firstReceivedAt: number;
}

/** A message that exhausted its receives. */
export interface DeadLetteredMessage {
  readonly queue: string;
  readonly messageId: string;
  readonly body: string;
  readonly receiveCount: number;
  /** The error of the last failed delivery, when the consumer reported one. */
  readonly lastError: string | null;
}

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  receiveCount: number;
  firstReceivedAt: number;
  visibleAt: number;
  receiptHandle: string | null;
  lastError: string | null;
}

/** Default local retry backoff: 200 ms, 400 ms, 800 ms, … */
export const defaultRetryDelayMs = (receiveCount: number): number => 200 * 2 ** Math.max(0, receiveCount - 1);

/** In-process queue with SQS semantics; implements the {@link Queue} port for producers. */
export class LocalQueue implements Queue {
  readonly name: string;
  private readonly options: LocalQueueOptions;
  private readonly messages = new Map<string, StoredMessage>();
  private readonly byReceipt = new Map<string, string>();
  private readonly wakers = new Set<() => void>();
  private readonly idleWaiters = new Set<() => void>();
  private pendingDeadLetters = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private closed = false;

  constructor(options: LocalQueueOptions) {
    this.name = options.name;
    this.options = options;
  }

  /** Messages not yet deleted or dead-lettered (visible, delayed or in flight). */
  get size(): number {
    return this.messages.size;
  }

  /** Enqueue messages; each becomes visible after its `delaySeconds`. */
  async send(messages: readonly QueueMessage[]): Promise<void> {
    this.sendNow(messages);
  }

  /**
   * Synchronous send, so an event listener can enqueue before the request that caused the event
   * returns (a producer that awaited its upload then sees the message counted in {@link idle}).
   */
  sendNow(messages: readonly QueueMessage[]): void {
    const now = Date.now();
    for (const m of messages) {
      const bytes = Buffer.byteLength(m.body);
      if (bytes > MAX_MESSAGE_BYTES) {
        throw new TooLargeError(
          `Message for ${this.name} is ${bytes} bytes; SQS allows ${MAX_MESSAGE_BYTES}. Put the payload in S3 and send its key.`,
          MAX_MESSAGE_BYTES,
        );
      }
      const messageId = randomUUID();
      this.messages.set(messageId, {
        messageId,
        body: m.body,
        sentAt: now,
        receiveCount: 0,
        firstReceivedAt: 0,
        visibleAt: now + (m.delaySeconds ?? 0) * 1000,
        receiptHandle: null,
        lastError: null,
      });
    }
    this.wake();
  }

  /**
   * Receive up to `max` messages. Waits up to `waitMs` (default: until `signal` aborts) for a
   * first visible message, then keeps gathering for `batchingWindowMs` or until `max`.
   */
  async receive(opts: ReceiveOptions): Promise<ReceivedMessage[]> {
    const { max, batchingWindowMs, signal } = opts;
    const batch: ReceivedMessage[] = [];
    const waitEnds = Date.now() + (opts.waitMs ?? Number.POSITIVE_INFINITY);
    let windowEnds = Number.POSITIVE_INFINITY;
    while (batch.length < max && !signal?.aborted && !this.closed) {
      batch.push(...this.take(max - batch.length));
      if (batch.length >= max) break;
      const now = Date.now();
      if (batch.length > 0 && windowEnds === Number.POSITIVE_INFINITY) windowEnds = now + batchingWindowMs;
      const until = batch.length > 0 ? windowEnds : waitEnds;
      if (now >= until) break;
      await this.waitForChange(until === Number.POSITIVE_INFINITY ? null : until - now, signal);
    }
    return batch;
  }

  /** Acknowledge a processed message. A stale receipt handle (the message was redelivered) is ignored. */
  delete(receiptHandle: string): void {
    const id = this.byReceipt.get(receiptHandle);
    this.byReceipt.delete(receiptHandle);
    const m = id === undefined ? undefined : this.messages.get(id);
    if (m?.receiptHandle !== receiptHandle) return;
    this.messages.delete(m.messageId);
    this.settle();
  }

  /**
   * Report a failed delivery: the message is visible again after the retry backoff, or is
   * dead-lettered when it has been received `maxReceiveCount` times.
   */
  fail(receiptHandle: string, error: string | null): void {
    const id = this.byReceipt.get(receiptHandle);
    this.byReceipt.delete(receiptHandle);
    const m = id === undefined ? undefined : this.messages.get(id);
    if (m?.receiptHandle !== receiptHandle) return;
    m.receiptHandle = null;
    m.lastError = error ?? m.lastError;
    if (m.receiveCount >= this.options.maxReceiveCount) {
      this.deadLetter(m);
      return;
    }
    const delay = (this.options.retryDelayMs ?? defaultRetryDelayMs)(m.receiveCount);
    m.visibleAt = Date.now() + delay;
    this.wake();
  }

  /** Resolves when nothing is visible, delayed or in flight and every dead letter is recorded. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.add(resolve);
    });
  }

  /** True when {@link idle} would resolve now. */
  isIdle(): boolean {
    return this.messages.size === 0 && this.pendingDeadLetters === 0;
  }

  /** Stop: pending receives return, timers are cleared. Messages still held are dropped. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wake();
  }

  /** Bodies of every message held (for tests and the DLQ listing). */
  peekBodies(): string[] {
    return [...this.messages.values()].map((m) => m.body);
  }

  private take(max: number): ReceivedMessage[] {
    const now = Date.now();
    const out: ReceivedMessage[] = [];
    for (const m of this.messages.values()) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      // A visibility timeout expired on a message that already had all its receives.
      if (m.receiveCount >= this.options.maxReceiveCount) {
        if (m.receiptHandle) this.byReceipt.delete(m.receiptHandle);
        this.deadLetter(m);
        continue;
      }
      if (m.receiptHandle) this.byReceipt.delete(m.receiptHandle);
      m.receiveCount += 1;
      if (m.receiveCount === 1) m.firstReceivedAt = now;
      m.receiptHandle = randomUUID();
      m.visibleAt = now + this.options.visibilityTimeoutMs;
      this.byReceipt.set(m.receiptHandle, m.messageId);
      out.push({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        receiveCount: m.receiveCount,
        sentAt: m.sentAt,
        firstReceivedAt: m.firstReceivedAt,
      });
    }
    if (out.length > 0) this.schedule();
    return out;
  }

  private deadLetter(m: StoredMessage): void {
    this.messages.delete(m.messageId);
    const letter: DeadLetteredMessage = {
      queue: this.name,
      messageId: m.messageId,
      body: m.body,
      receiveCount: m.receiveCount,
      lastError: m.lastError,
    };
    this.options.deadLetterQueue?.sendNow([{ body: m.body }]);
    const onDeadLetter = this.options.onDeadLetter;
    if (!onDeadLetter) {
      this.settle();
      return;
    }
    this.pendingDeadLetters += 1;
    onDeadLetter(letter)
      .catch((error: unknown) => {
        // The failure record could not be written; keep the reason visible rather than lose it.
        console.error(`newsflow: could not record dead letter from ${this.name}: ${String(error)}`);
      })
      .finally(() => {
        this.pendingDeadLetters -= 1;
        this.settle();
      });
  }

  private settle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters) resolve();
    this.idleWaiters.clear();
  }

  private wake(): void {
    this.schedule();
    for (const w of this.wakers) w();
    this.wakers.clear();
  }

  /** Keep one timer armed for the next moment a hidden message becomes visible. */
  private schedule(): void {
    if (this.closed) return;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const m of this.messages.values()) if (m.visibleAt > now && m.visibleAt < next) next = m.visibleAt;
    if (next === this.timerAt && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = next;
    if (next === Number.POSITIVE_INFINITY) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.wake();
      },
      Math.max(0, next - now),
    );
  }

  private waitForChange(timeoutMs: number | null, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let timeout: NodeJS.Timeout | null = null;
      const done = (): void => {
        if (timeout) clearTimeout(timeout);
        signal?.removeEventListener('abort', done);
        this.wakers.delete(done);
        resolve();
      };
      this.wakers.add(done);
      signal?.addEventListener('abort', done, { once: true });
      if (timeoutMs !== null) timeout = setTimeout(done, timeoutMs);
    });
  }
}
