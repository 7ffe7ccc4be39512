import { describe, expect, it } from 'vitest';
import type { HandlerFactory } from '#local/runner.ts';
import { isChunkMessage } from '#shared/domain/chunk-message.ts';
import type { IngestionRecord } from '#shared/ports/index.ts';
import { syntheticArticle } from '../../scripts/bench/synthetic-articles.ts';
import { S3_INTERNAL_ERROR } from '../support/fault-proxy.ts';
import { REAL_HANDLERS } from '../support/handlers.ts';
import { type LocalPipeline, pipelinePerTest } from '../support/local-pipeline.ts';

// A large batch file is split by the normalize invocation its S3 event reaches into chunk
// messages on normalize's own queue; each chunk is read with a ranged GET, normalized and
// forwarded on its own. These run the real pipeline (s3rver, dynalite, the local runner's
// queues) with a small chunk size so a few hundred records make several chunks.

const startPipeline = pipelinePerTest();
// Three whole pipelines of 100 records each: seconds on a quiet machine, far more on a loaded one.
const KEY = 'incoming/fanout/batch.jsonl';
const RECORDS = 100;
const CHUNK = 20;
/** Lines that are not articles: one unparseable, one with no text. */
const BAD = new Map([
  [33, '{"url": "https://example.com/broken", "text": '],
  [70, JSON.stringify({ url: 'https://example.com/no-text', title: 'Headline only' })],
]);

/** `RECORDS` small distinct records, one per line, with a blank line after every 25th. */
function batch(): { body: string; goodLines: number[] } {
  const lines: string[] = [];
  const goodLines: number[] = [];
  for (let n = 0; n < RECORDS; n++) {
    const line = lines.length + 1;
    const bad = BAD.get(line);
    if (bad !== undefined) {
      lines.push(bad);
    } else {
      const a = syntheticArticle(n, 11);
      lines.push(JSON.stringify({ url: a.url, title: a.title, text: a.paragraphs[0] }));
      goodLines.push(line);
    }
    if (n % 25 === 24) lines.push('');
  }
  return { body: lines.join('\n'), goodLines };
}

/** The normalize handler, counting the chunk messages it is given (the handler itself is real). */
function countingNormalize(chunksSeen: string[]): HandlerFactory {
  return (deps) => {
    const handler = REAL_HANDLERS.normalize(deps);
    return async (event, context) => {
      for (const r of event.Records) if (isChunkMessage(r.body)) chunksSeen.push(r.body);
      return handler(event, context);
    };
  };
}

async function recordsOf(p: LocalPipeline): Promise<Map<number, IngestionRecord>> {
  return new Map((await p.ingestions()).filter((r) => r.rawKey === KEY).map((r) => [r.line, r]));
}

describe('a large batch file fans out in line ranges', () => {
  it('stores every good line exactly once and records each bad line under its real line number', {
    timeout: 120_000,
  }, async () => {
    // Prepare
    const chunks: string[] = [];
    const p = await startPipeline({
      handlers: { ...REAL_HANDLERS, normalize: countingNormalize(chunks) },
      settings: { batchChunkRecords: CHUNK },
    });
    const { body, goodLines } = batch();

    // Act
    await p.upload(KEY, body);
    await p.runner.idle();

    // Assess
    const items = (await p.articles()).filter((i) => i.rawKey === KEY);
    const records = await recordsOf(p);
    expect(chunks).toHaveLength(RECORDS / CHUNK);
    expect(items.map((i) => i.line).sort((a, b) => a - b)).toEqual(goodLines);
    expect(goodLines.filter((line) => records.get(line)?.outcome !== 'stored')).toEqual([]);
    expect(records.get(33)).toMatchObject({ outcome: 'failed', step: 'normalize' });
    expect(records.get(33)?.reason).toContain(`${KEY} line 33: Line 33 is not valid JSON`);
    expect(records.get(70)).toMatchObject({ outcome: 'failed' });
    expect(records.get(70)?.reason).toContain(`${KEY} line 70:`);
    expect(records.size).toBe(RECORDS);
  });

  it('retries a chunk whose ranged read fails alone; the other chunks are read once', {
    timeout: 120_000,
  }, async () => {
    // Fault: S3 answers 500 to the first three ranged GETs of the third chunk read (a real HTTP
    // error from the fault proxy): the SDK's three attempts of its first delivery all fail, so
    // the message fails and the queue delivers it again. Every other request passes.
    const chunks: string[] = [];
    const p = await startPipeline({
      handlers: { ...REAL_HANDLERS, normalize: countingNormalize(chunks) },
      faults: true,
      settings: { batchChunkRecords: CHUNK },
      runner: { retryDelayMs: () => 50 },
    });
    const { body, goodLines } = batch();
    const rangedReads = new Map<string, number>();
    let victim: string | null = null;
    let failures = 0;
    p.proxies?.s3.setRule((req) => {
      if (req.operation !== 'GET' || req.range === null) return { kind: 'pass' };
      rangedReads.set(req.range, (rangedReads.get(req.range) ?? 0) + 1);
      victim ??= rangedReads.size === 3 ? req.range : null;
      if (req.range === victim && failures < 3) {
        failures += 1;
        return S3_INTERNAL_ERROR;
      }
      return { kind: 'pass' };
    });

    // Act
    await p.upload(KEY, body);
    await p.runner.idle();

    // Assess
    const items = (await p.articles()).filter((i) => i.rawKey === KEY);
    expect(victim).not.toBeNull();
    expect(rangedReads.size).toBe(RECORDS / CHUNK);
    expect(rangedReads.get(victim ?? '')).toBeGreaterThan(3);
    expect([...rangedReads].filter(([range, n]) => range !== victim && n !== 1)).toEqual([]);
    const deliveries = new Map<string, number>();
    for (const c of chunks) deliveries.set(c, (deliveries.get(c) ?? 0) + 1);
    expect([...deliveries.values()].sort()).toEqual([...Array(RECORDS / CHUNK - 1).fill(1), 2]);
    expect(items.map((i) => i.line).sort((a, b) => a - b)).toEqual(goodLines);
  });

  it('dead-letters a chunk that keeps failing alone, with a failure record naming its line range', {
    timeout: 120_000,
  }, async () => {
    // Fault: every ranged GET of the chunk holding lines 42–62 fails (S3 500s, through the proxy).
    const p = await startPipeline({
      faults: true,
      settings: { batchChunkRecords: CHUNK },
      runner: { retryDelayMs: () => 20 },
    });
    const { body, goodLines } = batch();
    const start = Buffer.byteLength(
      `${body
        .split('\n')
        .slice(0, 42 - 1)
        .join('\n')}\n`,
    );
    p.proxies?.s3.setRule((req) =>
      req.operation === 'GET' && req.range?.startsWith(`bytes=${start}-`)
        ? S3_INTERNAL_ERROR
        : { kind: 'pass' },
    );

    // Act
    await p.upload(KEY, body);
    await p.runner.idle();

    // Assess
    const records = await recordsOf(p);
    const failed = records.get(42);
    expect(failed).toMatchObject({ outcome: 'failed', step: 'normalize' });
    expect(failed?.reason).toMatch(
      new RegExp(`^${KEY} lines 42–62 \\(20 records\\) dead-lettered in normalize`),
    );
    const stored = (await p.articles()).filter((i) => i.rawKey === KEY).map((i) => i.line);
    expect(stored.sort((a, b) => a - b)).toEqual(goodLines.filter((l) => l < 42 || l > 62));
    expect(p.runner.deadLetterQueue('normalize').peekBodies()).toHaveLength(1);
  });

  it('resumes on start the chunks a stopped process left unrecorded, and only those', {
    timeout: 120_000,
  }, async () => {
    // Fault: a process stopped while chunks were queued loses them (the local queues live in
    // memory). Simulated by a normalize handler that acknowledges every chunk after the second
    // without doing it, as if it had vanished; then the handler behaves and the runner reconciles
    // as a fresh session does on start.
    let dropping = true;
    const done: string[] = [];
    const normalize: HandlerFactory = (deps) => {
      const handler = REAL_HANDLERS.normalize(deps);
      return async (event, context) => {
        const lost = event.Records.filter(
          (r) =>
            dropping &&
            isChunkMessage(r.body) &&
            !r.body.includes('"fromLine":1,') &&
            !r.body.includes('"fromLine":21,'),
        );
        const kept = event.Records.filter((r) => !lost.includes(r));
        for (const r of kept) if (isChunkMessage(r.body)) done.push(r.body);
        return kept.length === 0 ? { batchItemFailures: [] } : handler({ Records: kept }, context);
      };
    };
    const p = await startPipeline({
      handlers: { ...REAL_HANDLERS, normalize },
      settings: { batchChunkRecords: CHUNK },
    });
    const { body, goodLines } = batch();
    await p.upload(KEY, body);
    await p.runner.idle();
    const before = (await p.articles()).filter((i) => i.rawKey === KEY).length;
    dropping = false;
    done.length = 0;

    // Act
    const resumed = await p.runner.reconcile();
    await p.runner.idle();
    const again = await p.runner.reconcile();

    // Assess
    expect(before, 'chunks 1 and 2: 39 articles and line 33 failed').toBe(39);
    expect(resumed).toBe(1);
    expect(done).toHaveLength(RECORDS / CHUNK - 2);
    expect(again).toBe(0);
    const lines = (await p.articles()).filter((i) => i.rawKey === KEY).map((i) => i.line);
    expect(lines.sort((a, b) => a - b)).toEqual(goodLines);
    expect((await recordsOf(p)).size).toBe(RECORDS);
  });
});
