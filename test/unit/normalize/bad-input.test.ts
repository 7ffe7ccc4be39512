import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type NormalizeItem, normalizeDocument } from '#shared/domain/normalize/index.ts';
import { expectationsOf, loadManifest, materializeBadInput } from '../../support/bad-input.ts';

const manifest = loadManifest();
const work = mkdtempSync(join(tmpdir(), 'newsflow-normalize-bad-'));
materializeBadInput(work, manifest);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const normalizeFile = (file: string) =>
  normalizeDocument({
    key: `incoming/${manifest.source}/${file}`,
    body: readFileSync(join(work, file)),
    etag: null,
    sequencer: null,
    contentType: null,
    metadata: {},
    ingestedAt: '2026-01-01T00:00:00.000Z',
  });

describe('normalizeDocument on the bad-input corpus', () => {
  for (const entry of manifest.files) {
    it(`${entry.file}: ${entry.case}`, () => {
      // Act
      const result = normalizeFile(entry.file);

      // Assess
      for (const { line, expect: want } of expectationsOf(entry)) {
        const item: NormalizeItem | undefined =
          result.tag === 'items'
            ? result.items.find((i) => i.line === line)
            : line === 0
              ? result
              : undefined;
        if (want.outcome === 'ignored') {
          expect(item, `line ${line}`).toBeUndefined();
          continue;
        }
        expect(item, `line ${line}`).toBeDefined();
        if (want.outcome === 'failed') {
          expect(item, `line ${line}`).toMatchObject({ tag: 'rejected', code: want.code });
          expect(item?.tag === 'rejected' ? item.reason : '', `line ${line}`).toMatch(
            new RegExp(want.reason, 'i'),
          );
          continue;
        }
        expect(item?.tag, `line ${line}: ${item?.tag === 'rejected' ? item.reason : ''}`).toBe('article');
        if (item?.tag !== 'article') continue;
        if (want.title !== undefined) expect(item.article.title).toBe(want.title);
        if (want.language !== undefined) expect(item.article.language).toBe(want.language);
        for (const snippet of want.textIncludes) expect(item.article.text).toContain(snippet);
        for (const snippet of want.textExcludes) expect(item.article.text).not.toContain(snippet);
      }
      // "No hang" is enforced by the per-test timeout, not by timing (speed belongs to `npm run bench`).
    }, 30_000);
  }
});
