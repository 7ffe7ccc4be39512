import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { BAD_INPUT_DIR, expectationsOf, loadManifest, materializeBadInput } from '../support/bad-input.ts';

const manifest = loadManifest();
const work = mkdtempSync(join(tmpdir(), 'newsflow-bad-input-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('bad-input corpus manifest', () => {
  it('states an expectation for every committed file and at least 25 inputs', () => {
    // Prepare
    const committed = readdirSync(BAD_INPUT_DIR).filter((n) => n !== 'expected.json');
    const listed = manifest.files.filter((e) => !e.generated).map((e) => e.file);

    // Assess
    expect(listed.sort()).toEqual(committed.sort());
    expect(manifest.files.length).toBeGreaterThanOrEqual(25);
  });

  it('gives every failure a failure code and a reason pattern that compiles', () => {
    const codes = ['unsupported-format', 'empty', 'too-large', 'unparseable', 'no-content', 'invalid-record'];
    for (const entry of manifest.files) {
      for (const { expect: e } of expectationsOf(entry)) {
        if (e.outcome !== 'failed') continue;
        expect(codes, entry.file).toContain(e.code);
        expect(() => new RegExp(e.reason, 'i'), entry.file).not.toThrow();
      }
    }
  });

  it('generates the large files at the sizes the manifest claims', () => {
    // Act
    materializeBadInput(work, manifest);

    // Assess
    const size = (f: string) => statSync(join(work, f)).size;
    const MiB = 1024 * 1024;
    expect(size('huge-page-over-cap.html')).toBeGreaterThan(20 * MiB);
    expect(size('huge-page-under-cap.html')).toBeGreaterThan(5 * MiB);
    expect(size('huge-page-under-cap.html')).toBeLessThan(20 * MiB);
    expect(size('enormous-line.jsonl')).toBeGreaterThan(3 * MiB);
    expect(size('enormous-line.txt')).toBeGreaterThan(2 * MiB);
    expect(size('deep-nesting.html')).toBeGreaterThan(1_000_000);
  });

  it('has a gzip bomb that is small on disk and inflates past the 20 MiB cap', () => {
    const path = join(BAD_INPUT_DIR, 'gzip-bomb.html.gz');
    expect(statSync(path).size).toBeLessThan(128 * 1024);
    // Reading it whole is fine here: the test process decides to, the pipeline must not.
    const inflated = gunzipSync(readFileSync(path));
    expect(inflated.length).toBeGreaterThan(20 * 1024 * 1024);
  });
});
