/**
 * `npm run eval:extraction [-- --dir DIR] [--only ours] [--worst N] [--page ID] [--misses title|date] [--half 0-7|8-f]`
 *
 * Scores main-text extraction on the extraction-dev set the way trafilatura's evaluation does
 * (tests/comparison_small.py): whitespace collapsed; per page each `with` snippet found is a true
 * positive (else a false negative), each `without` snippet found is a false positive (else a true
 * negative); counts summed over all pages; an empty extraction misses every `with`. Metadata:
 * title exact after whitespace collapse, date same calendar day, author (where the truth has one)
 * the same set of names, case-insensitive. Ours and Readability-on-linkedom run on the same
 * decoded text in the same process. Nothing is cached or written.
 */
import { parseArgs } from 'node:util';
import {
  DEFAULT_DEV_DIR,
  type DevPage,
  decodePage,
  type Extraction,
  type Extractor,
  loadDevSet,
  ours,
  readability,
} from './extraction-dev.ts';

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

interface Counts {
  tp: number;
  fn: number;
  fp: number;
  tn: number;
  titleOk: number;
  titleN: number;
  dateOk: number;
  dateN: number;
  authorOk: number;
  authorN: number;
}

const zero = (): Counts => ({
  tp: 0,
  fn: 0,
  fp: 0,
  tn: 0,
  titleOk: 0,
  titleN: 0,
  dateOk: 0,
  dateN: 0,
  authorOk: 0,
  authorN: 0,
});

const names = (s: string): string[] =>
  s
    .split(/\s*(?:;|,|\band\b|&)\s*/i)
    .map((n) => collapse(n).toLowerCase())
    .filter((n) => n !== '');

interface PageScore {
  readonly tp: number;
  readonly fn: number;
  readonly fp: number;
  readonly tn: number;
  readonly missed: readonly string[];
  readonly leaked: readonly string[];
}

function scoreText(page: DevPage, text: string): PageScore {
  const result = collapse(text);
  const missed: string[] = [];
  const leaked: string[] = [];
  let tp = 0;
  let fp = 0;
  for (const snippet of page.truth.with) {
    if (result !== '' && result.includes(collapse(snippet))) tp++;
    else missed.push(snippet);
  }
  for (const snippet of page.truth.without) {
    if (result !== '' && result.includes(collapse(snippet))) {
      fp++;
      leaked.push(snippet);
    }
  }
  return { tp, fn: missed.length, fp, tn: page.truth.without.length - fp, missed, leaked };
}

function addPage(counts: Counts, page: DevPage, out: Extraction): PageScore {
  const s = scoreText(page, out.text);
  counts.tp += s.tp;
  counts.fn += s.fn;
  counts.fp += s.fp;
  counts.tn += s.tn;
  const { title, date, author } = page.truth;
  if (title) {
    counts.titleN++;
    if (out.title !== null && collapse(out.title) === collapse(title)) counts.titleOk++;
  }
  if (date) {
    counts.dateN++;
    if (out.date !== null && out.date.slice(0, 10) === date.slice(0, 10)) counts.dateOk++;
  }
  if (author) {
    counts.authorN++;
    const want = new Set(names(Array.isArray(author) ? author.join('; ') : String(author)));
    const got = new Set(out.authors.flatMap((a) => names(String(a))));
    if (want.size === got.size && [...want].every((n) => got.has(n))) counts.authorOk++;
  }
  return s;
}

const fmt = (n: number): string => n.toFixed(3);

function report(name: string, c: Counts): string {
  const p = c.tp / (c.tp + c.fp);
  const r = c.tp / (c.tp + c.fn);
  const acc = (c.tp + c.tn) / (c.tp + c.tn + c.fp + c.fn);
  const f = (2 * p * r) / (p + r);
  return `| ${name} | ${fmt(p)} | ${fmt(r)} | ${fmt(acc)} | ${fmt(f)} | ${fmt(c.titleOk / c.titleN)} | ${fmt(c.dateOk / c.dateN)} | ${fmt(c.authorOk / c.authorN)} |`;
}

const MOJIBAKE = /\uFFFD|Ã[\u0080-\u00BF©¨¤¶¼ª§]|â€[™œ\u009D“”˜¦]|Â[\u00A0«»°]/;

function main(): void {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: DEFAULT_DEV_DIR },
      only: { type: 'string' },
      worst: { type: 'string' },
      page: { type: 'string' },
      misses: { type: 'string' },
      // One half of the set, split by the first hex digit of the page id: a rule tuned on the
      // dev pages should gain on both halves, not just on the pages it was read from.
      half: { type: 'string' },
    },
  });
  const started = Date.now();
  let pages = loadDevSet(values.dir);
  if (values.page !== undefined) pages = pages.filter((p) => p.truth.id === values.page);
  if (values.half === '0-7' || values.half === '8-f')
    pages = pages.filter((p) => /^[0-7]/.test(p.truth.id) === (values.half === '0-7'));
  else if (values.half !== undefined) throw new Error('--half takes 0-7 or 8-f');
  const extractors: Array<[string, Extractor]> = [
    ['newsflow (ours)', ours],
    ['Readability 0.6.0 on linkedom', readability],
  ];
  const selected = values.only === 'ours' ? extractors.slice(0, 1) : extractors;
  const totals = selected.map(() => zero());
  const perPage: Array<{
    id: string;
    url: string;
    score: PageScore;
    out: Extraction;
    truth: DevPage['truth'];
  }> = [];
  const charsets = new Map<string, number>();
  let notUtf8 = 0;
  let notUtf8Clean = 0;
  for (const page of pages) {
    const decoded = decodePage(page);
    if (decoded.charset !== 'utf-8') {
      notUtf8++;
      charsets.set(decoded.charset, (charsets.get(decoded.charset) ?? 0) + 1);
      if (!MOJIBAKE.test(decoded.text)) notUtf8Clean++;
    }
    selected.forEach(([, extract], i) => {
      const out = extract(decoded.text, page.truth.url);
      const score = addPage(totals[i]!, page, out);
      if (i === 0) perPage.push({ id: page.truth.id, url: page.truth.url, score, out, truth: page.truth });
    });
  }
  console.log(`extraction-dev: ${pages.length} pages from ${values.dir}\n`);
  console.log('| extractor | precision | recall | accuracy | F | title | date | author |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [i, [name]] of selected.entries()) console.log(report(name, totals[i]!));
  const n = totals[0]!;
  console.log(
    `\ntitle/date/author counted on pages whose truth has one: ${n.titleN} titles, ${n.dateN} dates, ${n.authorN} authors`,
  );
  console.log(
    `charset: ${notUtf8} pages are not UTF-8 (${[...charsets].map(([c, k]) => `${c} ${k}`).join(', ')}); ` +
      `${notUtf8Clean} of them decode without replacement characters or mojibake`,
  );
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const worst = Number(values.worst ?? 0);
  if (worst > 0) {
    const ranked = [...perPage]
      .sort((a, b) => b.score.fn + b.score.fp - (a.score.fn + a.score.fp))
      .slice(0, worst);
    for (const p of ranked) {
      console.log(`\n## ${p.id} ${p.url}  fn=${p.score.fn} fp=${p.score.fp} chars=${p.out.text.length}`);
      for (const m of p.score.missed) console.log(`  MISSED: ${m.slice(0, 100)}`);
      for (const l of p.score.leaked) console.log(`  LEAKED: ${l.slice(0, 100)}`);
    }
  }
  if (values.misses === 'title' || values.misses === 'date') {
    // One line per metadata miss: page id, truth, ours (for reading misses before changing rules).
    const field = values.misses;
    for (const p of perPage) {
      const want = field === 'title' ? p.truth.title : p.truth.date;
      if (!want) continue;
      const got = field === 'title' ? p.out.title : p.out.date;
      const ok =
        got !== null &&
        (field === 'title' ? collapse(got) === collapse(want) : got.slice(0, 10) === want.slice(0, 10));
      if (!ok)
        console.log(
          `MISS ${p.id}\n  truth: ${collapse(want)}\n  ours:  ${got === null ? '(none)' : collapse(got)}`,
        );
    }
  }
  if (values.page !== undefined) {
    for (const p of perPage) {
      console.log(
        JSON.stringify(
          {
            title: p.out.title,
            truthTitle: p.truth.title,
            date: p.out.date,
            truthDate: p.truth.date,
            authors: p.out.authors,
            truthAuthor: p.truth.author,
          },
          null,
          1,
        ),
      );
      console.log(p.out.text);
    }
  }
}

main();
