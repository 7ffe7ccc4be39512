import { describe, expect, it } from 'vitest';
import { type DeadLetteredMessage, LocalQueue, MAX_MESSAGE_BYTES } from '#local/queue.ts';
import { TooLargeError } from '#shared/errors.ts';

const quickQueue = (over: Partial<ConstructorParameters<typeof LocalQueue>[0]> = {}): LocalQueue =>
  new LocalQueue({
    name: 'q.test',
    visibilityTimeoutMs: 5_000,
    maxReceiveCount: 3,
    retryDelayMs: () => 10,
    ...over,
  });

const bodies = (n: number): { body: string }[] => Array.from({ length: n }, (_, i) => ({ body: `m${i}` }));

describe('LocalQueue', () => {
  it('delivers at most the batch size per receive, in send order', async () => {
    // Prepare
    const q = quickQueue();
    await q.send(bodies(7));
    // Act
    const first = await q.receive({ max: 5, batchingWindowMs: 0 });
    const second = await q.receive({ max: 5, batchingWindowMs: 0 });
    // Assess
    expect(first.map((m) => m.body)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(second.map((m) => m.body)).toEqual(['m5', 'm6']);
    expect(first.every((m) => m.receiveCount === 1)).toBe(true);
    q.close();
  });

  it('gathers messages sent during the batching window into one batch', async () => {
    const q = quickQueue();
    await q.send(bodies(1));
    setTimeout(() => void q.send([{ body: 'late' }]), 20);
    const batch = await q.receive({ max: 10, batchingWindowMs: 150 });
    expect(batch.map((m) => m.body)).toEqual(['m0', 'late']);
    q.close();
  });

  it('hides a received message until its visibility timeout, then redelivers it', async () => {
    // Prepare
    const q = quickQueue({ visibilityTimeoutMs: 400 });
    await q.send(bodies(1));
    const [first] = await q.receive({ max: 1, batchingWindowMs: 0 });
    // Act
    const during = await q.receive({ max: 1, batchingWindowMs: 0, waitMs: 50 });
    const started = Date.now();
    const [again] = await q.receive({ max: 1, batchingWindowMs: 0 });
    // Assess
    expect(during).toEqual([]);
    expect(Date.now() - started).toBeGreaterThan(0);
    expect(again?.messageId).toBe(first?.messageId);
    expect(again?.receiveCount).toBe(2);
    q.close();
  });

  it('does not deliver a delayed message before its delay', async () => {
    const q = quickQueue();
    const sent = Date.now();
    await q.send([{ body: 'later', delaySeconds: 0.1 }]);
    const [m] = await q.receive({ max: 1, batchingWindowMs: 0 });
    expect(m?.body).toBe('later');
    expect(Date.now() - sent).toBeGreaterThanOrEqual(95);
    q.close();
  });

  it('removes a deleted message for good and becomes idle', async () => {
    const q = quickQueue();
    await q.send(bodies(2));
    const idle = q.idle();
    let resolved = false;
    void idle.then(() => {
      resolved = true;
    });
    const batch = await q.receive({ max: 2, batchingWindowMs: 0 });
    q.delete(batch[0]!.receiptHandle);
    await new Promise((r) => setTimeout(r, 10));
    expect(resolved).toBe(false);
    q.delete(batch[1]!.receiptHandle);
    await idle;
    expect(q.size).toBe(0);
    q.close();
  });

  it('makes a failed message visible again after the backoff, counting receives', async () => {
    // Prepare
    const delays: number[] = [];
    const q = quickQueue({
      retryDelayMs: (n) => {
        delays.push(n);
        return 400;
      },
    });
    await q.send(bodies(1));
    const [m1] = await q.receive({ max: 1, batchingWindowMs: 0 });
    // Act
    const failedAt = Date.now();
    q.fail(m1!.receiptHandle, 'boom');
    const early = await q.receive({ max: 1, batchingWindowMs: 0, waitMs: 50 });
    const [m2] = await q.receive({ max: 1, batchingWindowMs: 0 });
    const hiddenFor = Date.now() - failedAt;
    // Assess
    expect(early).toEqual([]);
    expect(m2?.messageId).toBe(m1?.messageId);
    expect(m2?.receiveCount).toBe(2);
    expect(delays).toEqual([1]);
    expect(hiddenFor).toBeGreaterThanOrEqual(395);
    q.close();
  });

  it('dead-letters after maxReceiveCount failed receives, with the last error, then is idle', async () => {
    // Prepare
    const dlq = quickQueue({ name: 'q.test-dlq' });
    const letters: DeadLetteredMessage[] = [];
    const q = quickQueue({
      deadLetterQueue: dlq,
      onDeadLetter: async (letter) => {
        await new Promise((r) => setTimeout(r, 20));
        letters.push(letter);
      },
    });
    await q.send([{ body: 'poison' }, { body: 'fine' }]);
    // Act
    for (let i = 1; i <= 3; i++) {
      const batch = await q.receive({ max: 2, batchingWindowMs: 0 });
      for (const m of batch) {
        if (m.body === 'poison') q.fail(m.receiptHandle, `attempt ${i} failed`);
        else q.delete(m.receiptHandle);
      }
    }
    await q.idle();
    // Assess
    expect(letters).toEqual([
      expect.objectContaining({
        body: 'poison',
        receiveCount: 3,
        lastError: 'attempt 3 failed',
        queue: 'q.test',
      }),
    ]);
    expect(dlq.peekBodies()).toEqual(['poison']);
    expect(q.size).toBe(0);
    q.close();
    dlq.close();
  });

  it('dead-letters a message whose consumer never answered once its receives are used up', async () => {
    const letters: DeadLetteredMessage[] = [];
    const q = quickQueue({
      visibilityTimeoutMs: 10,
      maxReceiveCount: 2,
      onDeadLetter: async (l) => void letters.push(l),
    });
    await q.send(bodies(1));
    await q.receive({ max: 1, batchingWindowMs: 0 });
    await q.receive({ max: 1, batchingWindowMs: 0 });
    const third = await q.receive({ max: 1, batchingWindowMs: 0, waitMs: 40 });
    await q.idle();
    expect(third).toEqual([]);
    expect(letters.map((l) => [l.body, l.receiveCount, l.lastError])).toEqual([['m0', 2, null]]);
    q.close();
  });

  it('ignores a stale receipt handle after the message was redelivered', async () => {
    const q = quickQueue({ visibilityTimeoutMs: 10 });
    await q.send(bodies(1));
    const [stale] = await q.receive({ max: 1, batchingWindowMs: 0 });
    const [fresh] = await q.receive({ max: 1, batchingWindowMs: 0 });
    q.delete(stale!.receiptHandle);
    expect(q.size).toBe(1);
    q.delete(fresh!.receiptHandle);
    expect(q.size).toBe(0);
    q.close();
  });

  it('refuses a message larger than SQS allows, naming the limit', async () => {
    const q = quickQueue();
    await expect(q.send([{ body: 'x'.repeat(MAX_MESSAGE_BYTES + 1) }])).rejects.toThrow(TooLargeError);
    q.close();
  });

  it('returns an empty batch when the receive is aborted', async () => {
    const q = quickQueue();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    expect(await q.receive({ max: 10, batchingWindowMs: 0, signal: ac.signal })).toEqual([]);
    q.close();
  });
});
