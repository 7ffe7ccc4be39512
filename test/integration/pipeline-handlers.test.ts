import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArticleItem } from '#shared/domain/item.ts';
import type { IngestionRecord } from '#shared/ports/index.ts';
import { collect } from '../support/collect.ts';
import { HandlerChain } from '../support/handler-chain.ts';
import { type LocalAws, startLocalAws } from '../support/local-aws.ts';
import { testDeps } from '../support/step-deps.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRAPED = readFileSync(join(ROOT, 'samples/scraped-text/000_9d232cb06c14f531.txt'));
const BAD_LINES = readFileSync(join(ROOT, 'test/fixtures/bad-input/bad-lines.jsonl'));

// Fresh servers per test: the same sample text in two tests would otherwise be a duplicate.
let aws: LocalAws;
beforeEach(async () => {
  aws = await startLocalAws();
});
afterEach(async () => {
  await aws?.stop();
});

const articlesFrom = async (rawKeyPrefix: string): Promise<ArticleItem[]> =>
  (await collect(testDeps(aws).articles.scan())).filter((a) => a.rawKey.startsWith(rawKeyPrefix));
const ingestionsOf = async (rawKeyPrefix: string): Promise<IngestionRecord[]> =>
  (await collect(testDeps(aws).ingestions.list({ rawKeyPrefix }))).sort(
    (a, b) => a.rawKey.localeCompare(b.rawKey) || a.line - b.line,
  );

describe('the four handlers end to end on s3rver + dynalite', () => {
  it('stores a scraped-text upload as one tagged article, with provenance', async () => {
    // Prepare
    const chain = new HandlerChain(aws);
    const event = await chain.upload('incoming/scmp/deepseek story.txt', SCRAPED);
    // Act
    const failures = await chain.deliver([event]);
    // Assess
    expect(failures).toEqual({ normalize: [], dedupe: [], tag: [], store: [] });
    const [item, ...rest] = await articlesFrom('incoming/scmp/');
    expect(rest).toEqual([]);
    expect(item).toMatchObject({
      title: 'DeepSeek offers no new answers to China’s AI bind',
      section: 'business',
      language: 'en',
      source: 'scmp',
      rawKey: 'incoming/scmp/deepseek story.txt',
      sequencer: event.Records[0]?.s3.object.sequencer,
      etag: event.Records[0]?.s3.object.eTag,
      duplicateOf: null,
      schemaVersion: 1,
      version: 1,
    });
    expect(item?.clusterId).toBe(item?.id);
    expect(await ingestionsOf('incoming/scmp/')).toMatchObject([
      { outcome: 'stored', articleId: item?.id, line: 0 },
    ]);
  });

  it('stores one item when the same S3 event is delivered twice, and keeps the outcome "stored"', async () => {
    const chain = new HandlerChain(aws);
    const event = await chain.upload('incoming/twice/story.txt', SCRAPED);
    await chain.deliver([event]);
    await chain.deliver([event]);
    expect(await articlesFrom('incoming/twice/')).toHaveLength(1);
    expect(await ingestionsOf('incoming/twice/')).toMatchObject([{ outcome: 'stored' }]);
  });

  it('puts the same text uploaded under two keys concurrently into one cluster', async () => {
    // Prepare: two independent chains, as two Lambda fleets would be.
    const [left, right] = [new HandlerChain(aws), new HandlerChain(aws)];
    const [a, b] = await Promise.all([
      left.upload('incoming/race/left.txt', SCRAPED),
      right.upload('incoming/race/right.txt', SCRAPED),
    ]);
    // Act
    await Promise.all([left.deliver([a]), right.deliver([b])]);
    // Assess
    const items = await articlesFrom('incoming/race/');
    expect(items).toHaveLength(2);
    expect(new Set(items.map((i) => i.clusterId)).size).toBe(1);
    expect(items.filter((i) => i.duplicateOf === null)).toHaveLength(1);
    const outcomes = (await ingestionsOf('incoming/race/')).map((r) => r.outcome).sort();
    expect(outcomes).toEqual(['duplicate', 'stored']);
  });

  it('stores the good lines of a JSONL file and records each bad line with its number', async () => {
    const chain = new HandlerChain(aws);
    await chain.deliver([await chain.upload('incoming/batch/bad-lines.jsonl', BAD_LINES)]);
    const records = await ingestionsOf('incoming/batch/bad-lines.jsonl');
    const stored = records.filter((r) => r.outcome === 'stored').map((r) => r.line);
    const failed = records.filter((r) => r.outcome === 'failed');
    expect(stored).toEqual([1, 3, 8]);
    expect(failed.map((r) => r.line)).toEqual([2, 4, 6, 7, 9]); // line 5 is blank: not an input
    for (const f of failed) expect(f.reason).toContain(`incoming/batch/bad-lines.jsonl line ${f.line}:`);
    expect(failed.every((f) => f.step === 'normalize')).toBe(true);
  });

  it('bumps the version when a record for the same URL comes back with changed text', async () => {
    const chain = new HandlerChain(aws);
    const record = (text: string) =>
      JSON.stringify({
        url: 'https://example.com/world/summit-talks',
        title: 'Leaders meet for summit talks',
        text,
      });
    const first =
      'Leaders of twenty nations met on Tuesday for talks on trade and climate, the first such summit in three years, with officials expecting a joint statement by Thursday evening.';
    const second = `${first} Update: the statement was published on Wednesday night after a late agreement on emissions targets.`;
    await chain.deliver([await chain.upload('incoming/wire/summit-1.json', record(first))]);
    await chain.deliver([await chain.upload('incoming/wire/summit-2.json', record(second))]);
    const items = await articlesFrom('incoming/wire/summit');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      version: 2,
      rawKey: 'incoming/wire/summit-2.json',
      canonicalUrl: 'https://example.com/world/summit-talks',
    });
    expect(items[0]?.text).toContain('Update: the statement');
    expect((await ingestionsOf('incoming/wire/summit')).map((r) => r.outcome)).toEqual(['stored', 'version']);
  });

  it('keeps a body too large for an item in S3, the item pointing at it', async () => {
    const chain = new HandlerChain(aws);
    const paragraph = (i: number) =>
      `Paragraph ${i} of a long investigation into public procurement, naming the contracts, the sums paid and the officials who signed them.`;
    const text = Array.from({ length: 2600 }, (_, i) => paragraph(i)).join('\n\n');
    const body = JSON.stringify({
      url: 'https://example.com/investigations/contracts',
      title: 'The contracts',
      text,
    });
    await chain.deliver([await chain.upload('incoming/long/report.json', body)]);
    const [item] = await articlesFrom('incoming/long/');
    expect(item?.text).toBeNull();
    expect(item?.textKey).toMatch(/^bodies\/.+\.txt$/);
    const stored = await testDeps(aws).blobs.get(item?.textKey ?? '');
    expect(Buffer.from(stored.body).toString('utf8')).toContain('Paragraph 2599 of a long investigation');
  });

  it('ignores the test event S3 sends when the notification is set up', async () => {
    const chain = new HandlerChain(aws);
    const testEvent = {
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2025-01-30T08:59:00.000Z',
      Bucket: aws.bucket,
    };
    // @ts-expect-error: a TestEvent is deliberately not an S3Event
    const failures = await chain.deliver([testEvent]);
    expect(failures.normalize).toEqual([]);
  });
});
