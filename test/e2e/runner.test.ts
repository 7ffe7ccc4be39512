/**
 * The local runner against real s3rver + dynalite, driving small stand-in handlers (the real
 * steps are tested end to end in pipeline.test.ts): event shape, partial batch failures, retries,
 * dead letters and reconciliation.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Embedded } from '#local/embedded.ts';
import { startEmbedded } from '#local/embedded.ts';
import type { HandlerFactory } from '#local/runner.ts';
import { LocalRunner } from '#local/runner.ts';
import { localDeps, quietLogger } from '#local/wiring.ts';
import type { IngestionRecord } from '#shared/ports/index.ts';
import type { StepDeps } from '#shared/runtime.ts';
import { parseS3Notification } from '#shared/s3-events.ts';

/** A stand-in step: runs `each` per record, reports failures the way Powertools does. */
const step =
  (each: (record: SQSRecord, deps: StepDeps) => Promise<void>): HandlerFactory =>
  (deps) =>
  async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      try {
        await each(record, deps);
      } catch (error) {
        deps.onRecordError?.(record.messageId, error);
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };

interface Seen {
  records: SQSRecord[];
  invocations: number[];
}

/** normalize reads each line of the raw object; a line `FAIL` always throws; the rest flows on. */
const standIns = (seen: Seen) => {
  const pass = step(async (record, deps) => {
    await deps.next?.send([{ body: record.body }]);
  });
  return {
    normalize: (deps: StepDeps) => {
      const inner = step(async (record, d) => {
        seen.records.push(record);
        for (const object of parseS3Notification(record.body)) {
          const raw = await d.blobs.get(object.key);
          const lines = Buffer.from(raw.body).toString('utf8').split('\n').filter(Boolean);
          for (const [i, text] of lines.entries()) {
            if (text === 'FAIL') throw new Error(`line ${i + 1} is poison`);
            const ref = {
              articleId: `${object.key}#${i + 1}`,
              normalizedKey: `normalized/${i}`,
              contentHash: text,
              canonicalUrl: null,
              provenance: {
                rawKey: object.key,
                line: i + 1,
                etag: object.etag,
                sequencer: object.sequencer,
                source: 't',
                ingestedAt: object.eventTime,
              },
            };
            await d.next?.send([{ body: JSON.stringify(ref) }]);
          }
        }
      })(deps);
      return async (event: SQSEvent, context: Parameters<ReturnType<HandlerFactory>>[1]) => {
        seen.invocations.push(event.Records.length);
        return inner(event, context);
      };
    },
    dedupe: pass,
    tag: step(async (record, deps) => {
      if (JSON.parse(record.body).contentHash === 'TAGFAIL') throw new Error('tag cannot place this');
      await deps.next?.send([{ body: record.body }]);
    }),
    store: step(async (record, deps) => {
      const ref = JSON.parse(record.body);
      await deps.ingestions.record({
        rawKey: ref.provenance.rawKey,
        line: ref.provenance.line,
        articleId: ref.articleId,
        outcome: 'stored',
        reason: null,
        step: 'store',
        at: new Date().toISOString(),
        sequencer: ref.provenance.sequencer,
      });
    }),
  } satisfies Record<string, HandlerFactory>;
};

describe('LocalRunner', () => {
  let dataDir: string;
  let embedded: Embedded;
  let runner: LocalRunner | null = null;
  let seen: Seen;

  const startRunner = (): LocalRunner => {
    runner = new LocalRunner({
      handlers: standIns(seen),
      deps: localDeps(embedded),
      logger: quietLogger,
      bucket: embedded.endpoints.bucket,
      region: embedded.endpoints.region,
      retryDelayMs: () => 5,
      batchingWindowMs: 20,
    });
    return runner;
  };
  const put = (key: string, body: string) =>
    embedded.s3.send(new PutObjectCommand({ Bucket: embedded.endpoints.bucket, Key: key, Body: body }));
  const ingestions = async (): Promise<IngestionRecord[]> => {
    const out: IngestionRecord[] = [];
    for await (const r of localDeps(embedded).ingestions.list()) out.push(r);
    return out.sort((a, b) => a.rawKey.localeCompare(b.rawKey) || a.line - b.line);
  };

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'newsflow-runner-'));
    embedded = await startEmbedded({ dataDir });
    seen = { records: [], invocations: [] };
  });
  afterEach(async () => {
    await runner?.stop();
    runner = null;
    await embedded.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('turns an s3rver upload into the SQS record Lambda would get, with the S3 event as real S3 sends it', async () => {
    // Prepare
    const r = startRunner();
    r.attach(embedded.events);
    r.start();
    // Act
    await put('incoming/t/a b+c.txt', 'hello\n');
    await r.idle();
    // Assess
    const [record] = seen.records;
    expect(record).toMatchObject({ eventSource: 'aws:sqs', attributes: { ApproximateReceiveCount: '1' } });
    expect(record?.md5OfBody).toBe(
      createHash('md5')
        .update(record?.body ?? '')
        .digest('hex'),
    );
    const event = JSON.parse(record!.body);
    expect(event.Records[0]).toMatchObject({
      eventVersion: '2.1',
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: 'newsflow-local-raw', arn: 'arn:aws:s3:::newsflow-local-raw' },
        object: { key: 'incoming/t/a+b%2Bc.txt', size: 6 },
      },
    });
    expect(await ingestions()).toEqual([
      expect.objectContaining({ rawKey: 'incoming/t/a b+c.txt', line: 1, outcome: 'stored' }),
    ]);
  });

  it('ignores writes outside incoming/ (the pipeline’s own claim checks)', async () => {
    const r = startRunner();
    r.attach(embedded.events);
    r.start();
    await put('normalized/x.json', '{}');
    await r.idle();
    expect(seen.records).toEqual([]);
  });

  it('batches uploads up to the step batch size', async () => {
    const r = startRunner();
    r.attach(embedded.events);
    await Promise.all(Array.from({ length: 7 }, (_, i) => put(`incoming/t/${i}.txt`, `doc ${i}\n`)));
    r.start();
    await r.idle();
    // normalize: batch size 5, so 7 queued uploads take at least two invocations of at most 5
    expect(Math.max(...seen.invocations)).toBeLessThanOrEqual(5);
    expect(seen.invocations.reduce((a, b) => a + b, 0)).toBe(7);
    expect((await ingestions()).length).toBe(7);
  });

  it('retries only the failed record, then dead-letters it with a failure record naming the error', async () => {
    // Prepare: one upload whose normalize always throws, one whose tag always throws, one fine
    const r = startRunner();
    r.attach(embedded.events);
    r.start();
    // Act
    await put('incoming/t/poison.txt', 'FAIL\n');
    await put('incoming/t/untaggable.txt', 'TAGFAIL\n');
    await put('incoming/t/fine.txt', 'fine\n');
    await r.idle();
    // Assess
    const records = await ingestions();
    expect(records).toEqual([
      expect.objectContaining({ rawKey: 'incoming/t/fine.txt', line: 1, outcome: 'stored' }),
      expect.objectContaining({
        rawKey: 'incoming/t/poison.txt',
        line: 0,
        outcome: 'failed',
        step: 'normalize',
        reason: 'dead-lettered in normalize: after 5 receives: Error: line 1 is poison',
      }),
      expect.objectContaining({
        rawKey: 'incoming/t/untaggable.txt',
        line: 1,
        outcome: 'failed',
        step: 'tag',
        articleId: 'incoming/t/untaggable.txt#1',
        reason: 'dead-lettered in tag: after 5 receives: Error: tag cannot place this',
      }),
    ]);
    const poison = seen.records.filter((x) => x.body.includes('poison.txt'));
    expect(poison.map((x) => x.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3', '4', '5']);
    // The failure keeps the message that failed, so replay can resend it as it was.
    const replay = records.find((x) => x.step === 'tag')?.replayMessage;
    expect(JSON.parse(replay ?? '{}').contentHash).toBe('TAGFAIL');
    expect(r.deadLetterQueue('normalize').size).toBe(1);
  });

  it('on start, enqueues raw objects that have no ingestion record (messages lost with a process)', async () => {
    // Prepare: uploaded while nothing listened, like a crash between upload and processing
    await put('incoming/t/orphan.txt', 'orphan\n');
    const r = startRunner();
    r.start();
    // Act
    const enqueued = await r.reconcile();
    await r.idle();
    const again = await r.reconcile();
    // Assess
    expect(enqueued).toBe(1);
    expect(again).toBe(0);
    expect(await ingestions()).toEqual([
      expect.objectContaining({ rawKey: 'incoming/t/orphan.txt', line: 1, outcome: 'stored' }),
    ]);
  });
});
