import { describe, expect, it } from 'vitest';
import { distinctPages, ledger } from '../support/fault-checks.ts';
import { type FaultDecision, S3_INTERNAL_ERROR } from '../support/fault-proxy.ts';
import { pipelinePerTest } from '../support/local-pipeline.ts';

// Fault: S3 reads fail. Every raw object's first 4 GETs answer 500 InternalError (more than the
// SDK's own 3 attempts, so the first delivery fails and the queue must retry), every claim
// check's first 3 GETs do the same, and some reads are cut off by a connection reset.
// Invariant: every upload is stored exactly once; nothing dead-lettered, nothing recorded as failed.

const startPipeline = pipelinePerTest();

describe('S3 read errors', () => {
  it('retries reads that fail and stores every upload once', async () => {
    // Prepare
    let retried = 0;
    const p = await startPipeline({
      faults: true,
      runner: {
        retryDelayMs: () => 50,
        onBatchDone: (_step, done) => (retried += done.filter((m) => m.receiveCount > 1).length),
      },
    });
    const seen = new Map<string, number>();
    p.proxies?.s3.setRule((r): FaultDecision => {
      if (r.method !== 'GET') return { kind: 'pass' };
      const n = (seen.get(r.url) ?? 0) + 1;
      seen.set(r.url, n);
      if (r.url.includes('/incoming/')) return n <= 4 ? S3_INTERNAL_ERROR : { kind: 'pass' };
      if (r.url.includes('/normalized/'))
        return n <= 2 ? S3_INTERNAL_ERROR : n === 3 ? { kind: 'reset' } : { kind: 'pass' };
      return { kind: 'pass' };
    });
    const pages = distinctPages('s3-errors', 20);

    // Act
    await Promise.all([...pages].map(([key, html]) => p.upload(key, html)));
    await p.runner.idle();

    // Assess
    const l = await ledger(p, pages.keys());
    expect(retried, 'deliveries were retried').toBeGreaterThan(0);
    expect(l.lost).toEqual([]);
    expect(l.doubled).toEqual([]);
    expect(l.notStored).toEqual([]);
    expect(l.ingestions.filter((r) => r.outcome === 'failed')).toEqual([]);
    for (const step of ['normalize', 'dedupe', 'tag', 'store'] as const) {
      expect(p.runner.deadLetterQueue(step).size, `${step} dead letters`).toBe(0);
    }
  });
});
