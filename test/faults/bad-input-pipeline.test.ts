import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepLogger } from '#local/wiring.ts';
import type { ArticleItem } from '#shared/domain/item.ts';
import type { IngestionRecord } from '#shared/ports/index.ts';
import { expectationsOf, loadManifest, materializeBadInput } from '../support/bad-input.ts';
import { compare, type Observed } from '../support/corpus-check.ts';
import { REAL_HANDLERS } from '../support/handlers.ts';
import { type LocalPipeline, startLocalPipeline } from '../support/local-pipeline.ts';

// The whole bad-input corpus (test/fixtures/bad-input, 38 inputs) uploaded to the local
// pipeline at once, as a scraper would at 3 a.m.
// Invariants: each file (and each line of a batch file) is either stored as the article a user
// expects or recorded as failed with a reason that names the file (and line) and says what is
// wrong; nothing crashes or hangs the pipeline; memory stays bounded; and the logs written
// meanwhile never hold credentials, signatures or whole article bodies.

const manifest = loadManifest();
const dir = mkdtempSync(join(tmpdir(), 'newsflow-corpus-pipeline-'));
const files = materializeBadInput(dir, manifest);
const rawKey = (file: string) => `incoming/${manifest.source}/${file}`;
/** A paragraph only the log test's extra article holds: it must never be logged whole. */
const SENTINEL =
  'The sentinel paragraph of the logging check describes a harbour crane that was repainted blue over three long weeks by a crew of nine.';

let pipeline: LocalPipeline;
let items: ArticleItem[] = [];
let ingestions: IngestionRecord[] = [];
const logs: string[] = [];
let peakRssMb = 0;
let seconds = 0;

beforeAll(async () => {
  // Capture what the steps' loggers print (DEBUG: the most they would ever print).
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  const capture =
    (orig: typeof write) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (text.includes('"service":"newsflow"')) {
        logs.push(text);
        return true;
      }
      return (orig as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = capture(write) as typeof process.stdout.write;
  process.stderr.write = capture(writeErr) as typeof process.stderr.write;
  try {
    pipeline = await startLocalPipeline({ handlers: REAL_HANDLERS, runner: { logger: stepLogger('DEBUG') } });
    const started = Date.now();
    await Promise.all([
      ...files.map((f) => pipeline.upload(rawKey(f), readFileSync(join(dir, f)))),
      pipeline.upload(
        'incoming/log-check/sentinel.html',
        `<html><head><title>Crane repainted</title></head><body><article><p>${SENTINEL}</p><p>${SENTINEL.replace('nine', 'ten')}</p></article></body></html>`,
      ),
    ]);
    await pipeline.runner.idle();
    seconds = (Date.now() - started) / 1000;
    items = await pipeline.articles();
    ingestions = await pipeline.ingestions();
    peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
}, 180_000);

afterAll(async () => {
  await pipeline?.stop();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `bad-input corpus through the pipeline: ${files.length} files in ${seconds} s, peak RSS ${peakRssMb} MB`,
  );
});

async function observe(file: string, line: number): Promise<Observed> {
  const key = rawKey(file);
  const item = items.find((i) => i.rawKey === key && i.line === line);
  if (item) {
    let text = item.text ?? '';
    if (item.text === null && item.textKey) {
      const out = await pipeline.embedded.s3.send(
        new GetObjectCommand({ Bucket: pipeline.embedded.endpoints.bucket, Key: item.textKey }),
      );
      text = (await out.Body?.transformToString()) ?? '';
    }
    return { outcome: 'stored', title: item.title, text, language: item.language };
  }
  const record = ingestions.find((r) => r.rawKey === key && r.line === line);
  if (record?.outcome === 'failed') return { outcome: 'failed', code: null, reason: record.reason ?? '' };
  return { outcome: 'none' };
}

describe('the bad-input corpus through the local pipeline', () => {
  for (const entry of manifest.files) {
    it(`${entry.file}: ${entry.case}`, async () => {
      for (const { line, expect: want } of expectationsOf(entry)) {
        const label = line === 0 ? entry.file : `${entry.file}:${line}`;
        const observed = await observe(entry.file, line);
        expect(compare(label, want, observed)).toEqual([]);
        if (observed.outcome === 'failed') {
          // The reason names the input, and the line of a batch file.
          expect(observed.reason).toContain(rawKey(entry.file));
          if (line > 0) expect(observed.reason).toContain(`line ${line}`);
        }
      }
    });
  }

  it('dead-letters nothing and keeps memory bounded', () => {
    for (const step of ['normalize', 'dedupe', 'tag', 'store'] as const) {
      expect(pipeline.runner.deadLetterQueue(step).size, step).toBe(0);
    }
    expect(peakRssMb).toBeLessThan(1500);
  });

  it('never logs credentials, request signatures or whole article bodies', () => {
    const all = logs.join('');
    expect(logs.length).toBeGreaterThan(10);
    expect(all).toContain('incoming/log-check/sentinel.html');
    for (const secret of [
      'S3RVER',
      'Signature=',
      'Authorization',
      'x-amz-security-token',
      'secretAccessKey',
    ]) {
      expect(all, secret).not.toContain(secret);
    }
    expect(all).not.toContain(SENTINEL);
    expect(all).not.toContain('Sentence 20000 of the long report');
  });
});
