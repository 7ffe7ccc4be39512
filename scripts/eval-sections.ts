/**
 * Section tagging evaluation on the held-out `eval` split of data/sections/labels.jsonl, scored
 * twice: with every metadata signal the page carries, and content only (metadata removed); then
 * on the news sample (the `eval` web pages of data/sections/web-pages.jsonl, kept as stems, so
 * content only). Abstentions (section null) count as wrong in "accuracy" and are reported
 * separately.
 *
 *   npm run eval:sections [-- --dev-set ../shared/eval-data/extraction-dev]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { classifyContent } from '#shared/domain/tag/content.ts';
import { contentText, type TagResult, tagArticle } from '#shared/domain/tag/index.ts';
import { DEFAULT_VOCABULARY } from '#shared/domain/tag/vocabulary.ts';
import {
  type CorpusItem,
  calibrationBins,
  contentOnly,
  DATA_DIR,
  FOCUS_SECTIONS,
  loadCorpus,
} from './lib/section-corpus.ts';

interface Scored {
  readonly item: CorpusItem;
  readonly result: TagResult;
  readonly usedMetadata: boolean;
}

interface Tally {
  n: number;
  right: number;
  abstained: number;
}

const tally = (): Tally => ({ n: 0, right: 0, abstained: 0 });
const add = (t: Tally, s: Scored): void => {
  t.n += 1;
  if (s.result.section === null) t.abstained += 1;
  else if (s.result.section === s.item.label) t.right += 1;
};
const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '–');
const accuracy = (t: Tally): number => t.right / t.n;
const answeredAccuracy = (t: Tally): number => t.right / (t.n - t.abstained);
const abstention = (t: Tally): number => t.abstained / t.n;

function summarize(title: string, scored: readonly Scored[]): void {
  const all = tally();
  const bySection = new Map<string, Tally>();
  const byLanguage = new Map<string, Tally>();
  const cell = new Map<string, Tally>();
  for (const s of scored) {
    add(all, s);
    for (const [map, key] of [
      [bySection, s.item.label],
      [byLanguage, s.item.language],
      [cell, `${s.item.label}/${s.item.language}`],
    ] as const) {
      const t = map.get(key) ?? tally();
      add(t, s);
      map.set(key, t);
    }
  }
  console.log(`\n### ${title}\n`);
  console.log(
    `articles ${all.n}; accuracy ${fmt(accuracy(all))}; accuracy when answered ${fmt(answeredAccuracy(all))}; ` +
      `abstention ${fmt(abstention(all))}`,
  );
  const focus = tally();
  for (const s of scored) if (FOCUS_SECTIONS.includes(s.item.label)) add(focus, s);
  console.log(
    `five focus sections (${FOCUS_SECTIONS.join(', ')}): n ${focus.n}; accuracy ${fmt(accuracy(focus))}; ` +
      `when answered ${fmt(answeredAccuracy(focus))}; abstention ${fmt(abstention(focus))}`,
  );
  const languages = ['en', 'de', 'fr', 'es'];
  console.log(`\n| section | n | accuracy | answered acc. | abstention | ${languages.join(' | ')} |`);
  console.log(`| --- | --- | --- | --- | --- | ${languages.map(() => '---').join(' | ')} |`);
  for (const id of DEFAULT_VOCABULARY.sections.map((s) => s.id)) {
    const t = bySection.get(id);
    if (t === undefined) continue;
    const perLanguage = languages.map((l) => {
      const c = cell.get(`${id}/${l}`);
      return c === undefined ? '' : `${c.right}/${c.n}`;
    });
    console.log(
      `| ${id} | ${t.n} | ${fmt(accuracy(t))} | ${fmt(answeredAccuracy(t))} | ${fmt(abstention(t))} | ${perLanguage.join(' | ')} |`,
    );
  }
  console.log('\n| language | n | accuracy | answered acc. | abstention |\n| --- | --- | --- | --- | --- |');
  for (const l of languages) {
    const t = byLanguage.get(l);
    if (t !== undefined) {
      console.log(
        `| ${l} | ${t.n} | ${fmt(accuracy(t))} | ${fmt(answeredAccuracy(t))} | ${fmt(abstention(t))} |`,
      );
    }
  }
}

/** Expected calibration error of the top content score over 10 equal-width bins. */
function calibration(scored: readonly Scored[]): { ece: number; table: string[] } {
  const tops = scored.flatMap((s) => {
    const top = s.result.sections[0];
    return top === undefined ? [] : [{ confidence: top.score, right: top.id === s.item.label }];
  });
  const { ece, bins } = calibrationBins(tops);
  const table = bins
    .map((b, i) =>
      b.n === 0
        ? ''
        : `| ${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)} | ${b.n} | ${fmt(b.confidence / b.n)} | ${fmt(b.right / b.n)} |`,
    )
    .filter((row) => row !== '');
  return { ece, table };
}

/**
 * Content only, restricted to the five focus classes (the setting of the BBC-news benchmarks),
 * with the confusion counts (true section → chosen section) that say which pairs still mix. The
 * choice is the best of the classifier's five focus scores, as train-sections.ts scores its
 * held-out pages (tagArticle keeps only the best three candidates of fifteen); "none": the
 * classifier found no term it knows in the text.
 */
function fiveWay(scored: readonly Scored[]): Tally & { confusion: Map<string, number> } {
  const t = { ...tally(), confusion: new Map<string, number>() };
  for (const s of scored) {
    if (!FOCUS_SECTIONS.includes(s.item.label)) continue;
    const best = classifyContent(contentText(s.item.article)).scores.find(
      (c) => FOCUS_SECTIONS.includes(c.id) && c.probability > 0,
    );
    t.n += 1;
    if (best?.id === s.item.label) t.right += 1;
    const key = `${s.item.label}→${best?.id ?? 'none'}`;
    t.confusion.set(key, (t.confusion.get(key) ?? 0) + 1);
  }
  return t;
}

/** The same predictions with the abstention threshold off: the classifier's top candidate. */
function topCandidate(scored: readonly Scored[]): Scored[] {
  return scored.map((s) => ({ ...s, result: { ...s.result, section: s.result.sections[0]?.id ?? null } }));
}

function printFiveWay(title: string, scored: readonly Scored[]): void {
  const five = fiveWay(scored);
  console.log(`\n${title}: ${five.right}/${five.n} = ${fmt(accuracy(five))}`);
  const columns = [...FOCUS_SECTIONS, 'none'];
  console.log(
    `\n| true \\ chosen | ${columns.join(' | ')} |\n| --- | ${columns.map(() => '---').join(' | ')} |`,
  );
  for (const label of FOCUS_SECTIONS) {
    const row = columns.map((chosen) => five.confusion.get(`${label}→${chosen}`) ?? 0);
    console.log(`| ${label} | ${row.join(' | ')} |`);
  }
}

/**
 * The news sample (web pages found by section-neutral queries, data/sections/web-pages.jsonl
 * `split: eval`), content only: stored as stems, so there is no metadata to score it with (and
 * where a page's URL named a section, that section was a source of its label).
 */
function newsSample(news: readonly CorpusItem[], devContentOnly: readonly Scored[]): void {
  if (news.length === 0) return;
  const scored: Scored[] = news.map((item) => ({
    item,
    result: tagArticle(item.article),
    usedMetadata: false,
  }));
  console.log(`\n## News sample: ${news.length} held-out web pages, content only`);
  summarize('News sample, content only', scored);
  summarize('News sample, content only, top candidate (no abstention)', topCandidate(scored));
  printFiveWay('news sample, content only, choosing among the five focus sections only', scored);
  secondReading('news sample', 'news-sample-second-reading.tsv', (item) => item.url, scored);
  printFiveWay(
    'dev-set eval pages and news sample together, content only, choosing among the five focus sections only',
    [...devContentOnly, ...scored],
  );
}

/**
 * A labelled set read a second time, blind (title and text only, no URL, no metadata, no first
 * label): a TSV of `key<TAB>section` (a trailing `?`: the second reader was unsure), keyed by the
 * news sample's URL or the dev page's id. How often two readings agree is the ceiling a
 * content-only classifier can be measured against.
 */
function secondReading(
  name: string,
  file: string,
  keyOf: (item: CorpusItem) => string | undefined,
  scored: readonly Scored[],
): void {
  const path = join(DATA_DIR, file);
  if (!existsSync(path)) return;
  const second = new Map(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'))
      .map((l) => {
        const [key, section] = l.split('\t');
        return [key!, { id: section!.replace(/\?$/, ''), unsure: section!.endsWith('?') }] as const;
      }),
  );
  const read = scored.flatMap((s) => {
    const again = second.get(keyOf(s.item) ?? '');
    return again === undefined ? [] : [{ ...s, again, agrees: again.id === s.item.label }];
  });
  const agree = read.filter((s) => s.agrees);
  // Cohen's kappa: agreement beyond what the two readings' section frequencies give by chance.
  const share = (ids: readonly string[], id: string): number =>
    ids.filter((x) => x === id).length / ids.length;
  const first = read.map((s) => s.item.label);
  const again = read.map((s) => s.again.id);
  const chance = [...new Set([...first, ...again])].reduce(
    (sum, id) => sum + share(first, id) * share(again, id),
    0,
  );
  const observed = agree.length / read.length;
  const focus = read.filter((s) => FOCUS_SECTIONS.includes(s.item.label));
  const focusAgree = focus.filter((s) => s.agrees);
  // A reader choosing among the five focus sections only cannot do worse than this: every focus
  // page the reader gave another focus section is a miss, the others might be right.
  const focusElsewhere = focus.filter((s) => !s.agrees && FOCUS_SECTIONS.includes(s.again.id));
  console.log(
    `\nsecond, blind reading of the ${name} (${read.length} pages): same section ${agree.length}/${read.length} = ` +
      `${fmt(observed)}, Cohen's kappa ${fmt((observed - chance) / (1 - chance))}; on the ${focus.length} focus pages ` +
      `${focusAgree.length}/${focus.length} = ${fmt(focusAgree.length / focus.length)}, another focus section on ` +
      `${focusElsewhere.length}, a section outside the five on ${focus.length - focusAgree.length - focusElsewhere.length} ` +
      `(${read.filter((s) => s.again.unsure).length} pages marked unsure by the second reader)`,
  );
  printFiveWay(`${name}, focus pages whose two readings agree, content only, five-way`, focusAgree);
}

async function main(): Promise<void> {
  const { items, extractor } = await loadCorpus();
  const evalItems = items.filter((i) => i.split === 'eval' && i.kind === 'page');
  const newsItems = items.filter((i) => i.split === 'eval' && i.kind === 'web');
  const trainCount = items.filter((i) => i.split === 'train').length;
  const started = performance.now();
  const withMetadata: Scored[] = evalItems.map((item) => {
    const result = tagArticle(item.article);
    return { item, result, usedMetadata: result.sections.some((s) => s.via !== 'content') };
  });
  const metadataMs = performance.now() - started;
  const contentStarted = performance.now();
  const contentOnlyScored: Scored[] = evalItems.map((item) => ({
    item,
    result: tagArticle(contentOnly(item.article)),
    usedMetadata: false,
  }));
  const contentMs = performance.now() - contentStarted;

  console.log(`## Section tagging evaluation (${new Date().toISOString().slice(0, 10)})`);
  console.log(
    `\neval split: ${evalItems.length} labelled dev-set pages (train split: ${trainCount} texts, never scored here); ` +
      `page text by ${extractor}; vocabulary ${DEFAULT_VOCABULARY.version}. ` +
      `Tagging time: ${fmt(metadataMs / evalItems.length)} ms/article with metadata, ` +
      `${fmt(contentMs / evalItems.length)} ms/article content only.`,
  );
  const carrying = withMetadata.filter((s) => s.usedMetadata);
  summarize(`With metadata: articles whose page carries section metadata (${carrying.length})`, carrying);
  summarize('With metadata: every eval article (content decides where there is no metadata)', withMetadata);
  summarize('Content only (every metadata signal removed)', contentOnlyScored);
  summarize('Content only, top candidate (no abstention)', topCandidate(contentOnlyScored));
  printFiveWay(
    'content only, choosing among the five focus sections only (no abstention)',
    contentOnlyScored,
  );
  secondReading('dev eval pages', 'dev-second-reading.tsv', (item) => item.id, contentOnlyScored);
  console.log(
    '\ncontent only, abstention threshold vs. coverage and accuracy (all sections | five focus):\n',
  );
  console.log(
    '| threshold | answered | accuracy when answered | focus answered | focus accuracy when answered |',
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const threshold of [0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) {
    const row = (subset: readonly Scored[]): string => {
      const answered = subset.filter((s) => (s.result.sections[0]?.score ?? 0) >= threshold);
      const right = answered.filter((s) => s.result.sections[0]?.id === s.item.label).length;
      return `${fmt(answered.length / subset.length)} | ${fmt(right / answered.length)}`;
    };
    const focus = contentOnlyScored.filter((s) => FOCUS_SECTIONS.includes(s.item.label));
    console.log(`| ${threshold} | ${row(contentOnlyScored)} | ${row(focus)} |`);
  }
  const { ece, table } = calibration(contentOnlyScored);
  console.log(`\ncontent-only calibration (top score vs. observed accuracy), ECE ${fmt(ece)}:\n`);
  console.log('| score | n | mean score | accuracy |\n| --- | --- | --- | --- |');
  for (const row of table) console.log(row);

  newsSample(newsItems, contentOnlyScored);

  const errors = withMetadata.filter((s) => s.usedMetadata && s.result.section !== s.item.label);
  if (errors.length > 0) {
    console.log('\nwith-metadata errors:');
    for (const s of errors) {
      const top = s.result.sections[0];
      console.log(
        `- ${s.item.id} (${s.item.label}) → ${s.result.section} via ${top?.via} ${JSON.stringify(top?.match)}`,
      );
    }
  }
}

await main();
