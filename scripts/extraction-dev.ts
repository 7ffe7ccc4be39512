/**
 * The extraction-dev evaluation set (trafilatura's 990 annotated pages), shared by
 * scripts/eval-extraction.ts and scripts/bench.ts, and the two extractors they compare: ours
 * (shared/domain/normalize) and the baseline, Mozilla Readability on linkedom, both fed the same
 * decoded text so only extraction differs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { decodeBytes, extractHtml } from '#shared/domain/normalize/index.ts';
import { joinParagraphs } from '#shared/domain/normalize/text.ts';

/**
 * Default location of the set: `../shared/eval-data/extraction-dev` next to the repository (one
 * level further up from a git worktree). It is never copied into the repository.
 */
export const DEFAULT_DEV_DIR =
  [1, 2]
    .map((up) =>
      resolve(
        import.meta.dirname,
        '..',
        ...Array<string>(up).fill('..'),
        'shared',
        'eval-data',
        'extraction-dev',
      ),
    )
    .find((dir) => existsSync(dir)) ??
  resolve(import.meta.dirname, '..', '..', 'shared', 'eval-data', 'extraction-dev');

export interface Truth {
  readonly id: string;
  readonly url: string;
  readonly title?: string;
  readonly author?: string;
  readonly date?: string;
  readonly with: readonly string[];
  readonly without: readonly string[];
}

export interface DevPage {
  readonly truth: Truth;
  readonly bytes: Uint8Array;
}

/** Every page of the set with its truth, in id order. */
export function loadDevSet(dir: string): DevPage[] {
  return readdirSync(join(dir, 'truth'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const truth = JSON.parse(readFileSync(join(dir, 'truth', f), 'utf8')) as Truth;
      return { truth, bytes: gunzipSync(readFileSync(join(dir, 'html', `${truth.id}.html.gz`))) };
    });
}

/** What an extractor returns for one page (null fields where it found nothing). */
export interface Extraction {
  readonly text: string;
  readonly title: string | null;
  readonly date: string | null;
  readonly authors: readonly string[];
}

export type Extractor = (html: string, url: string) => Extraction;

/** Our extractor: the same functions the normalize step runs. */
export const ours: Extractor = (html, url) => {
  const page = extractHtml(html, url);
  return {
    text: joinParagraphs(page.paragraphs),
    title: page.metadata.title,
    date: page.metadata.publishedDay,
    authors: page.metadata.byline,
  };
};

/** The baseline: Mozilla Readability on a linkedom document. */
export const readability: Extractor = (html) => {
  try {
    const { document } = parseHTML(html);
    const article = new Readability(
      document as unknown as ConstructorParameters<typeof Readability>[0],
    ).parse();
    return {
      text: article?.textContent ?? '',
      title: article?.title ?? null,
      date: article?.publishedTime ?? null,
      authors: article?.byline ? [article.byline] : [],
    };
  } catch {
    return { text: '', title: null, date: null, authors: [] };
  }
};

/** Decode a page's bytes the way the normalize step does. */
export const decodePage = (page: DevPage) => decodeBytes(page.bytes);
