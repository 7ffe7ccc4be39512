/** Shared helpers for the fault suite: distinct uploads, waiting, and the nothing-lost/nothing-doubled check. */
import type { ArticleItem } from '#shared/domain/item.ts';
import type { IngestionRecord } from '#shared/ports/index.ts';
import { syntheticArticle, toHtml } from '../../scripts/bench/synthetic-articles.ts';
import type { LocalPipeline } from './local-pipeline.ts';

/** `count` distinct article pages under `incoming/<source>/`, keyed by raw key. */
export function distinctPages(source: string, count: number, seed = 7): Map<string, string> {
  const pages = new Map<string, string>();
  for (let n = 0; n < count; n++)
    pages.set(`incoming/${source}/page-${n}.html`, toHtml(syntheticArticle(n, seed)));
  return pages;
}

/** Poll `check` until it returns true or `timeoutMs` passes (then throws naming `what`). */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** What the store holds per raw key, and what the ingestion log says per raw key. */
export interface Ledger {
  readonly items: ArticleItem[];
  readonly ingestions: IngestionRecord[];
  /** Raw keys with more than one article item (doubled). */
  readonly doubled: string[];
  /** Expected raw keys with no article item (lost). */
  readonly lost: string[];
  /** Expected raw keys whose ingestion record is not `stored`. */
  readonly notStored: Array<{ rawKey: string; outcome: string; reason: string | null }>;
}

/** Compare the store and the ingestion log with the uploads the test made. */
export async function ledger(pipeline: LocalPipeline, expectedKeys: Iterable<string>): Promise<Ledger> {
  const items = await pipeline.articles();
  const ingestions = await pipeline.ingestions();
  const perKey = new Map<string, number>();
  for (const item of items) perKey.set(item.rawKey, (perKey.get(item.rawKey) ?? 0) + 1);
  const expected = [...expectedKeys];
  const byKey = new Map(ingestions.map((r) => [`${r.rawKey}#${r.line}`, r]));
  return {
    items,
    ingestions,
    doubled: [...perKey].filter(([, n]) => n > 1).map(([k]) => k),
    lost: expected.filter((k) => !perKey.has(k)),
    notStored: expected
      .map((k) => byKey.get(`${k}#0`) ?? { rawKey: k, outcome: 'no record', reason: null })
      .filter((r) => r.outcome !== 'stored')
      .map((r) => ({ rawKey: r.rawKey, outcome: r.outcome, reason: r.reason })),
  };
}
