import { describe, expect, it } from 'vitest';
import { planReplay } from '#local/commands/replay.ts';
import { articleIdFor } from '#shared/domain/ids.ts';
import { PIPELINE, type StepName } from '#shared/pipeline.ts';
import { syntheticArticle, toHtml } from '../../scripts/bench/synthetic-articles.ts';
import { distinctPages, ledger } from '../support/fault-checks.ts';
import { S3_INTERNAL_ERROR } from '../support/fault-proxy.ts';
import { pipelinePerTest } from '../support/local-pipeline.ts';

// Fault: a poison record. One article's claim check cannot be read, ever (S3 answers 500 for
// that one object, as with a corrupted or wrongly encrypted object), while its neighbours flow.
// The poison article is long, so it travels between steps as a claim check in S3 (short ones
// travel inside the message and never touch normalized/).
// Invariant: the poison message is dead-lettered after exactly the configured receives, a
// failure record names its file, step and reason; after the fix, replaying the recorded
// failures stores it once, the failure record is settled, and nothing else changes.

const startPipeline = pipelinePerTest();

describe('a poison record', () => {
  it('is dead-lettered after the configured receives, then replayed after the fix and stored', async () => {
    // Prepare: page-2 is the poison, a long article; its article id gives away its claim check key
    const letters: Array<{ step: StepName; receives: number }> = [];
    const p = await startPipeline({
      faults: true,
      runner: {
        retryDelayMs: () => 20,
        onDeadLetter: (step, letter) => letters.push({ step, receives: letter.receiveCount }),
      },
    });
    const pages = distinctPages('poison', 5, 11);
    const poisonKey = 'incoming/poison/page-2.html';
    const long = Array.from({ length: 30 }, (_, i) => syntheticArticle(100 + i, 11).paragraphs).flat();
    pages.set(poisonKey, toHtml({ ...syntheticArticle(2, 11), paragraphs: long }));
    const poisonId = articleIdFor({ canonicalUrl: syntheticArticle(2, 11).url, rawKey: poisonKey, line: 0 });
    p.proxies?.s3.setRule((r) =>
      r.method === 'GET' && r.url.includes(`/normalized/${poisonId}/`) ? S3_INTERNAL_ERROR : { kind: 'pass' },
    );

    // Act 1: the run with the fault
    await Promise.all([...pages].map(([key, html]) => p.upload(key, html)));
    await p.runner.idle();

    // Assess 1: dead-lettered once, after maxReceiveCount receives, recorded with a reason
    const maxReceives = PIPELINE.find((s) => s.name === letters[0]?.step)?.queue.maxReceiveCount;
    expect(letters).toHaveLength(1);
    expect(letters[0]?.receives).toBe(maxReceives);
    const failures = await p.failures();
    expect(failures.map((f) => [f.rawKey, f.step])).toEqual([[poisonKey, letters[0]?.step]]);
    expect(failures[0]?.reason).toMatch(/dead-lettered/);
    expect(failures[0]?.reason).toMatch(/normalized|S3|read/i);
    const before = await ledger(p, pages.keys());
    expect(before.lost).toEqual([poisonKey]);

    // Act 2: fix the fault, then replay what `newsflow failures` lists with `newsflow replay`'s plan
    p.proxies?.s3.setRule(null);
    const plan = planReplay(failures);
    expect(plan.objects.size).toBe(0);
    for (const m of plan.messages) p.runner.queue(m.step).sendNow([{ body: m.body }]);
    await p.runner.idle();

    // Assess 2: stored once, the failure settled, the neighbours untouched
    const after = await ledger(p, pages.keys());
    expect(after.lost).toEqual([]);
    expect(after.doubled).toEqual([]);
    expect(after.notStored).toEqual([]);
    expect(after.items.every((i) => i.version === 1)).toBe(true);
    expect(await p.failures()).toEqual([]);
  });
});
