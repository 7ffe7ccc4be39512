import { describe, expect, it } from 'vitest';
import type { HandlerFactory } from '#local/runner.ts';
import type { ArticleStore } from '#shared/ports/index.ts';
import { distinctPages, ledger } from '../support/fault-checks.ts';
import { REAL_HANDLERS } from '../support/handlers.ts';
import { pipelinePerTest } from '../support/local-pipeline.ts';

// Faults that come from inside: a bug that throws for one record in the middle of a batch, and
// a runtime that dies after doing a batch's work but before replying. Neither can be produced
// from outside the process, so these tests wrap the real store handler: the first decorates the
// ArticleStore port to throw once for one article, the second throws after the real handler
// returned. Everything else (queues, other steps, s3rver, dynalite) is real.

const startPipeline = pipelinePerTest();

describe('a handler crash in the middle of a batch', () => {
  it('retries only the failing record; its batch-mates are stored once', async () => {
    // Prepare: the second record of the first store batch holding more than one record throws
    // on its first attempt (chosen from the batch itself, so the test does not hang on timing)
    const upserts = new Map<string, number>();
    let victim: string | null = null;
    let victimBatchSize = 0;
    const store: HandlerFactory = (deps) => {
      const articles: ArticleStore = Object.create(deps.articles, {
        upsert: {
          value: async (item: Parameters<ArticleStore['upsert']>[0]) => {
            upserts.set(item.id, (upserts.get(item.id) ?? 0) + 1);
            if (item.id === victim && upserts.get(item.id) === 1) throw new Error('simulated bug in store');
            return deps.articles.upsert(item);
          },
        },
      });
      const handler = REAL_HANDLERS.store({ ...deps, articles });
      return async (event, context) => {
        const second = event.Records[1];
        if (victim === null && second) {
          victim = (JSON.parse(second.body) as { articleId: string }).articleId;
          victimBatchSize = event.Records.length;
        }
        return handler(event, context);
      };
    };
    const p = await startPipeline({
      handlers: { ...REAL_HANDLERS, store },
      runner: { retryDelayMs: () => 50, batchingWindowMs: 300 },
    });
    const pages = distinctPages('crash', 12);

    // Act
    await Promise.all([...pages].map(([key, html]) => p.upload(key, html)));
    await p.runner.idle();

    // Assess
    const l = await ledger(p, pages.keys());
    expect(victimBatchSize, 'the failing record shared its batch').toBeGreaterThan(1);
    expect(upserts.get(victim ?? '')).toBe(2);
    expect([...upserts].filter(([id, n]) => id !== victim && n !== 1)).toEqual([]);
    expect(l.lost).toEqual([]);
    expect(l.doubled).toEqual([]);
    expect(l.notStored).toEqual([]);
  });

  it('stores a whole redelivered batch once when the runtime dies before replying', async () => {
    // Prepare: the first store invocation of more than one record does its work, then crashes
    let crashed: string[] = [];
    const store: HandlerFactory = (deps) => {
      const handler = REAL_HANDLERS.store(deps);
      return async (event, context) => {
        const response = await handler(event, context);
        if (crashed.length === 0 && event.Records.length > 1) {
          crashed = event.Records.map((r) => r.messageId);
          throw new Error('runtime crashed after the batch was processed');
        }
        return response;
      };
    };
    const p = await startPipeline({
      handlers: { ...REAL_HANDLERS, store },
      runner: { retryDelayMs: () => 50, batchingWindowMs: 300 },
    });
    const pages = distinctPages('crash-all', 12);

    // Act
    await Promise.all([...pages].map(([key, html]) => p.upload(key, html)));
    await p.runner.idle();

    // Assess: redelivered records changed nothing; their ingestion still says stored
    const l = await ledger(p, pages.keys());
    expect(crashed.length).toBeGreaterThan(1);
    expect(l.lost).toEqual([]);
    expect(l.doubled).toEqual([]);
    expect(l.notStored).toEqual([]);
    expect(l.items.every((i) => i.version === 1)).toBe(true);
  });
});
