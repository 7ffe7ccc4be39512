import { describe, expect, it } from 'vitest';
import { distinctPages, ledger, waitFor } from '../support/fault-checks.ts';
import { pipelinePerTest } from '../support/local-pipeline.ts';

// Fault: DynamoDB goes away in the middle of a run (connections refused, open ones reset; the
// fault proxy in front of dynalite is stopped, which is what every client sees when DynamoDB is
// down) and comes back on the same endpoint 1.5 s later.
// Invariant: every upload is stored exactly once: messages that failed during the outage are
// retried by the queue and then stored; none lost, none doubled, no version bumps, no dead letters.

const startPipeline = pipelinePerTest();

describe('DynamoDB stopped mid-run and restarted', () => {
  it('retries the failed messages and stores every upload once', async () => {
    // Prepare
    let retried = 0;
    const p = await startPipeline({
      faults: true,
      runner: { onBatchDone: (_step, done) => (retried += done.filter((m) => m.receiveCount > 1).length) },
    });
    const pages = distinctPages('outage', 60);
    const dynamo = p.proxies?.dynamodb;
    if (!dynamo) throw new Error('fault proxies missing');

    // Act: upload everything; as soon as a few are stored, take DynamoDB down for 1.5 s
    await Promise.all([...pages].map(([key, html]) => p.upload(key, html)));
    // dedupe makes ~43 DynamoDB calls per new article (its near-duplicate buckets), so on a
    // loaded machine the first stores can take longer than the default 20 s.
    await waitFor('first articles stored', async () => (await p.articles()).length >= 5, 90_000);
    await dynamo.down();
    const storedDuringOutage = (await p.articles()).length;
    await new Promise((r) => setTimeout(r, 1500));
    await dynamo.up();
    await p.runner.idle();

    // Assess
    const l = await ledger(p, pages.keys());
    expect(storedDuringOutage, 'the outage began mid-run').toBeLessThan(pages.size);
    expect(retried, 'messages were retried after the outage').toBeGreaterThan(0);
    if (l.lost.length > 0) {
      console.log(
        'DEBUG lost',
        JSON.stringify(
          l.ingestions.filter((r) => l.lost.includes(r.rawKey)),
          null,
          1,
        ).slice(0, 3000),
      );
      for (const step of ['normalize', 'dedupe', 'tag', 'store'] as const)
        console.log('DEBUG dlq', step, p.runner.deadLetterQueue(step).size, p.runner.queue(step).size);
    }
    expect(l.lost).toEqual([]);
    expect(l.doubled).toEqual([]);
    expect(l.notStored).toEqual([]);
    expect(l.items).toHaveLength(pages.size);
    expect(l.items.every((i) => i.version === 1 && i.duplicateOf === null)).toBe(true);
    for (const step of ['normalize', 'dedupe', 'tag', 'store'] as const) {
      expect(p.runner.deadLetterQueue(step).size, `${step} dead letters`).toBe(0);
    }
  }, 180_000);
});
