/**
 * Golden-file cases: `<dir>/<case>/` holds an input file and `expected.json`. With `UPDATE=1`
 * (read through shared/config.ts) the expected file is rewritten from the actual output, so a
 * deliberate change is one command plus a reviewed diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { localEnv } from '#shared/config.ts';
import type { NormalizedArticle } from '#shared/domain/article.ts';
import { normalizeDocument } from '#shared/domain/normalize/index.ts';

export interface GoldenCase {
  readonly name: string;
  readonly dir: string;
  readonly inputFile: string;
}

/** Every case directory under `root`, with its input file (the one not named expected.json). */
export function goldenCases(root: string): GoldenCase[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const dir = join(root, d.name);
      const inputFile = readdirSync(dir).find((f) => f.startsWith('input.'));
      if (inputFile === undefined) throw new Error(`golden case ${dir} has no input.* file`);
      return { name: d.name, dir, inputFile };
    });
}

/** The fields a golden file pins: what a user reads, with the body split into paragraphs. */
export function goldenView(article: NormalizedArticle) {
  return {
    title: article.title,
    byline: article.byline,
    publishedAt: article.publishedAt,
    sectionLabels: article.sectionLabels,
    sectionLine: article.hints.sectionLine,
    language: article.language,
    image: article.image,
    canonicalUrl: article.canonicalUrl,
    siteName: article.siteName,
    charset: article.charset,
    paragraphs: article.text.split('\n\n'),
  };
}

/** Normalize a case's input as if uploaded to `incoming/fixtures/<case>/<input file>`. */
export function normalizeCase(c: GoldenCase) {
  const result = normalizeDocument({
    key: `incoming/fixtures/${c.name}/${c.inputFile}`,
    body: readFileSync(join(c.dir, c.inputFile)),
    etag: null,
    sequencer: null,
    contentType: null,
    metadata: {},
    ingestedAt: '2026-01-01T00:00:00.000Z',
  });
  if (result.tag !== 'items') throw new Error(`${c.name}: rejected: ${result.reason}`);
  const item = result.items[0];
  if (item?.tag !== 'article') throw new Error(`${c.name}: no article: ${item?.reason}`);
  return item.article;
}

/** The expected value for a case; rewritten from `actual` when UPDATE=1 or when missing. */
export function expectedFor(c: GoldenCase, actual: unknown): unknown {
  const path = join(c.dir, 'expected.json');
  if (localEnv().update || !existsSync(path)) {
    writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`);
    return actual;
  }
  return JSON.parse(readFileSync(path, 'utf8'));
}
