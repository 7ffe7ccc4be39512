import { describe, expect, it } from 'vitest';
import { nextSequencer } from '#local/runner.ts';
import { syntheticArticle, toHtml } from '../../scripts/bench/synthetic-articles.ts';
import { type LocalPipeline, pipelinePerTest } from '../support/local-pipeline.ts';

// Fault: S3 event notifications are duplicated, reordered and delayed (real S3 does all three;
// s3rver never does, so these tests turn its events off and deliver real-shaped events
// themselves, with the sequencers S3 would have given). The raw key is overwritten with a new
// version of the same article (same canonical URL, changed text).
// Invariant: the S3 `sequencer` decides: the item ends with the text of the newest upload,
// exactly one item, no spurious version bumps, and the ingestion record describes the newest
// upload truthfully.

const KEY = 'incoming/order/story.html';
const base = syntheticArticle(1, 99);
const v1 = toHtml(base);
const v2 = toHtml({
  ...base,
  paragraphs: ['Correction: this paragraph was rewritten after publication.', ...base.paragraphs.slice(1)],
});

const startPipeline = pipelinePerTest();

const start = (): Promise<LocalPipeline> =>
  startPipeline({ attachEvents: false, runner: { retryDelayMs: () => 50 } });

function deliver(p: LocalPipeline, etag: string | null, sequencer: string, delaySeconds = 0): void {
  const event = {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: p.embedded.endpoints.bucket, arn: `arn:aws:s3:::${p.embedded.endpoints.bucket}` },
          object: { key: 'incoming/order/story.html', size: 1, eTag: etag ?? '', sequencer },
        },
      },
    ],
  };
  p.runner.queue('normalize').sendNow([{ body: JSON.stringify(event), delaySeconds }]);
}

describe('duplicated, reordered and delayed S3 events', () => {
  it('keeps the newest upload when its event is duplicated and the older event arrives late', async () => {
    // Prepare
    const p = await start();
    const etag1 = await p.upload(KEY, v1);
    const s1 = nextSequencer();
    const etag2 = await p.upload(KEY, v2);
    const s2 = nextSequencer();

    // Act: newest event twice, then the older one and another copy of the newest, delayed
    deliver(p, etag2, s2);
    deliver(p, etag2, s2);
    deliver(p, etag1, s1, 1);
    deliver(p, etag2, s2, 1);
    await p.runner.idle();

    // Assess
    const items = await p.articles();
    expect(items).toHaveLength(1);
    expect(items[0]?.text).toContain('Correction: this paragraph was rewritten');
    expect(items[0]?.version).toBe(1);
    expect(items[0]?.sequencer).toBe(s2);
    const records = await p.ingestions();
    expect(records.map((r) => [r.rawKey, r.outcome, r.sequencer])).toEqual([[KEY, 'stored', s2]]);
  });

  it('keeps the newest upload when the older event is delivered first, after the object was overwritten', async () => {
    // Prepare
    const p = await start();
    const etag1 = await p.upload(KEY, v1);
    const s1 = nextSequencer();
    const etag2 = await p.upload(KEY, v2);
    const s2 = nextSequencer();

    // Act: reordered: the older event first
    deliver(p, etag1, s1);
    await p.runner.idle();
    deliver(p, etag2, s2);
    await p.runner.idle();

    // Assess: the newest upload is the one on record, stored, with its own sequencer and ETag
    const items = await p.articles();
    expect(items).toHaveLength(1);
    expect(items[0]?.text).toContain('Correction: this paragraph was rewritten');
    expect(items[0]?.sequencer).toBe(s2);
    expect(items[0]?.etag).toBe(etag2);
    const records = await p.ingestions();
    expect(records.map((r) => [r.outcome, r.sequencer])).toEqual([['stored', s2]]);
  });

  it('versions the article when uploads are processed in order, and ignores a late duplicate of the first', async () => {
    // Prepare
    const p = await start();

    // Act: v1 processed, then v2, then v1's event again (late redelivery)
    const etag1 = await p.upload(KEY, v1);
    const s1 = nextSequencer();
    deliver(p, etag1, s1);
    await p.runner.idle();
    const etag2 = await p.upload(KEY, v2);
    const s2 = nextSequencer();
    deliver(p, etag2, s2);
    await p.runner.idle();
    deliver(p, etag1, s1);
    await p.runner.idle();

    // Assess
    const items = await p.articles();
    expect(items).toHaveLength(1);
    expect(items[0]?.version).toBe(2);
    expect(items[0]?.text).toContain('Correction: this paragraph was rewritten');
    expect(items[0]?.sequencer).toBe(s2);
    const records = await p.ingestions();
    expect(records.map((r) => [r.outcome, r.sequencer])).toEqual([['version', s2]]);
  });
});
