/**
 * The `newsflow` commands in-process (same code as the binary), on temp data dirs and random
 * ports: run, export, ingestions, failures, replay, serve.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '#local/cli.ts';
import { clientsFor, endpointsFile, readEndpoints, startEmbedded } from '#local/embedded.ts';
import { captureIo } from '../support/capture-io.ts';

const SAMPLES = new URL('../../samples/', import.meta.url);
const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

describe('newsflow CLI', () => {
  let dir: string;
  let data: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsflow-cli-'));
    data = join(dir, 'data');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('run processes a directory, exits 0 and prints the summary; export and ingestions show the result', async () => {
    // Prepare
    const input = join(dir, 'input');
    await cp(new URL('jsonl/', SAMPLES), join(input, 'feeds'), { recursive: true });
    await cp(new URL('json/', SAMPLES), join(input, 'records'), { recursive: true });
    const io = captureIo(dir);
    // Act
    const code = await main(['run', input, '--data-dir', data, '--source', 'wire'], io);
    // Assess
    expect(code).toBe(0);
    expect(io.out()).toMatch(/newsflow run: 2 files → 3 stored, 1 duplicates, 0 unchanged, 1 failed/);
    expect(io.err()).toMatch(/failed: incoming\/wire\/feeds\/wire-feed\.jsonl line 3: .*not valid JSON/);

    const exported = captureIo(dir);
    expect(await main(['export', '--data-dir', data], exported)).toBe(0);
    const items = jsonLines(exported.out());
    expect(items.map((i) => [i.rawKey, i.line, i.section, i.language])).toEqual([
      ['incoming/wire/feeds/wire-feed.jsonl', 1, 'sport', 'en'],
      ['incoming/wire/feeds/wire-feed.jsonl', 2, 'business', 'de'],
      ['incoming/wire/feeds/wire-feed.jsonl', 4, 'environment', 'en'],
      ['incoming/wire/records/reef-survey.json', 0, 'science', 'en'],
    ]);
    for (const item of items) {
      expect(Object.keys(item)).toEqual(
        expect.arrayContaining([
          'id',
          'rawKey',
          'title',
          'text',
          'section',
          'sections',
          'language',
          'clusterId',
          'duplicateOf',
        ]),
      );
    }

    const ingestions = captureIo(dir);
    expect(await main(['ingestions', '--data-dir', data], ingestions)).toBe(0);
    expect(jsonLines(ingestions.out()).map((r) => [r.line, r.outcome])).toEqual([
      [1, 'stored'],
      [2, 'stored'],
      [3, 'failed'],
      [4, expect.stringMatching(/stored|duplicate/)],
      [0, expect.stringMatching(/stored|duplicate/)],
    ]);

    const sport = captureIo(dir);
    expect(await main(['articles', '--section', 'sport', '--limit', '5', '--data-dir', data], sport)).toBe(0);
    expect(jsonLines(sport.out()).map((a) => a.title)).toEqual(['Marathon record falls in cold and wind']);

    const failures = captureIo(dir);
    expect(await main(['failures', '--data-dir', data], failures)).toBe(0);
    expect(jsonLines(failures.out())).toEqual([
      expect.objectContaining({ rawKey: 'incoming/wire/feeds/wire-feed.jsonl', line: 3, step: 'normalize' }),
    ]);
  });

  it('replay sends a failed input through again and settles it once it is fixed', async () => {
    // Prepare: a file rejected as empty, then "fixed" in place (as ops would after a bug fix)
    const input = join(dir, 'in');
    await mkdir(input);
    await writeFile(join(input, 'late.txt'), '');
    expect(await main(['run', input, '--data-dir', data], captureIo(dir))).toBe(0);
    // The pipeline never rewrites raw objects; the test does, standing in for a fix, with no
    // runner listening (so no new event: only replay can bring it back).
    const embedded = await startEmbedded({ dataDir: data });
    await embedded.s3.send(
      new PutObjectCommand({
        Bucket: embedded.endpoints.bucket,
        Key: 'incoming/local/late.txt',
        Body: await readFile(new URL('scraped-text/000_9d232cb06c14f531.txt', SAMPLES)),
      }),
    );
    await embedded.close();
    const io = captureIo(dir);
    // Act
    const code = await main(['replay', '--data-dir', data], io);
    // Assess
    expect(code).toBe(0);
    expect(io.out()).toMatch(/1 failures \(1 files, 0 messages\) → 1 settled, 0 still failing/);
    const failures = captureIo(dir);
    await main(['failures', '--data-dir', data], failures);
    expect(failures.out()).toBe('');
  });

  it('serve processes the samples, then an upload shows up in a DynamoDB scan within 10 s; Ctrl-C stops it', async () => {
    // Prepare
    const io = captureIo(dir);
    const serving = main(['serve', '--data-dir', data, '--s3-port', '0', '--dynamodb-port', '0'], io);
    await waitFor(() => /ready in/.test(io.out()), 30_000);
    const endpoints = (await readEndpoints(data))!;
    const clients = clientsFor(endpoints);
    const html = await readFile(new URL('html/harbour-council-budget.html', SAMPLES));
    const changed = html
      .toString('utf8')
      .replace(/flood barrier budget/g, 'ferry subsidy')
      .replace(/<link rel="canonical"[^>]*>/, '');
    try {
      // Act
      const started = Date.now();
      await clients.s3.send(
        new PutObjectCommand({
          Bucket: endpoints.bucket,
          Key: 'incoming/manual/ferry page.html',
          Body: changed,
          Metadata: { 'source-url': 'https://example.com/ferry', section: 'World' },
        }),
      );
      await waitFor(async () => {
        const scan = await clients.dynamodb.send(new ScanCommand({ TableName: endpoints.articlesTable }));
        return (scan.Items ?? []).some((i) => i.rawKey?.S === 'incoming/manual/ferry page.html');
      }, 10_000);
      // Assess
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(io.out()).toMatch(/stored .*\[politics\] "Harbour council approves flood barrier budget/);
      expect(io.out()).toMatch(/aws s3 cp .* --endpoint-url http:\/\/127\.0\.0\.1:\d+/);
      expect(io.out()).toMatch(/AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER/);
      // While serve runs, a command that needs the data dir for itself is refused (exit 3).
      const busy = captureIo(dir);
      expect(await main(['run', dir, '--data-dir', data], busy)).toBe(3);
      expect(busy.err()).toMatch(/already serving/);
      // …and read commands use the running endpoints.
      const exported = captureIo(dir);
      expect(await main(['export', '--data-dir', data], exported)).toBe(0);
      expect(exported.out()).toMatch(/ferry page\.html/);
    } finally {
      clients.s3.destroy();
      clients.dynamodb.destroy();
      io.interrupt();
    }
    expect(await serving).toBe(0);
    expect(io.out()).toMatch(/stopping/);
  });

  it('exits 3 naming the running instance when the data dir is served by another process', async () => {
    await mkdir(data, { recursive: true });
    await writeFile(
      endpointsFile(data),
      JSON.stringify({ s3Endpoint: 'http://127.0.0.1:9', bucket: 'b', pid: process.ppid }),
    );
    const io = captureIo(dir);
    expect(await main(['replay', '--data-dir', data], io)).toBe(3);
    expect(io.err()).toMatch(/already serving .*pid/);
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
