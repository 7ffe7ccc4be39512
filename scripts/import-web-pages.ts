/**
 * Turn collected web pages into training and evaluation data for the section classifier:
 * `data/sections/web-pages.jsonl`, one page a line, as its URL, label, language, evidence and
 * **bag of stems** (the classifier's own features at its stem length). No page text is kept in
 * the repo: the stems are what training reads, and the URL says where the page came from.
 *
 *   npx tsx scripts/import-web-pages.ts FILE… [--out data/sections/web-pages.jsonl] [--dev-set DIR]
 *
 * Files named `eval-*` are the evaluation sample (found by section-neutral queries, see
 * data/sections/README.md): their pages get `split: "eval"` and are never trained on; the others
 * are training pages; `neutral-*` and `eval-*` files were found by section-neutral queries
 * (`sample: "neutral"`), the others by topic (`sample: "topic"`). Each input FILE holds records of this plain-text form (collected by reading, see
 * data/sections/README.md "Web pages"):
 *
 *     === https://example.org/politik/some-story
 *     language: de
 *     label: politics
 *     why: URL /politik/ + reading (…)
 *     title: The headline
 *     ---
 *     The article text …
 *
 * A record is dropped, and the reason counted, when its label or language is not one of the
 * vocabulary's, its text has fewer than MIN_WORDS words, the language detector reads another
 * language, its URL is a page of the extraction dev set (eval or train), it shares more than
 * MAX_SHARED of its word 5-grams (of the smaller page's) with a dev-set page or an earlier kept
 * page, or its URL repeats.
 * The script also resolves each URL's path through the vocabulary (the tag step's URL evidence)
 * and reports where that metadata label and the reading label differ.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { detectLanguage } from '#shared/domain/normalize/language.ts';
import { contentFeatures } from '#shared/domain/tag/content.ts';
import { contentText } from '#shared/domain/tag/index.ts';
import { DEFAULT_VOCABULARY, matchUrl } from '#shared/domain/tag/vocabulary.ts';
import { DATA_DIR, DEV_SET_DIR, devArticle, readDevTruth, STEM_LENGTH } from './lib/section-corpus.ts';
import { parseRecords, type RawRecord, urlKey } from './lib/web-pages.ts';

const MIN_WORDS = 60;
const MAX_SHARED = 0.2;
const SHINGLE = 5;

const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

function shingles(text: string): Set<string> {
  const w = words(text);
  const out = new Set<string>();
  for (let k = 0; k + SHINGLE <= w.length; k++) out.add(w.slice(k, k + SHINGLE).join(' '));
  return out;
}

/**
 * Pages' 5-gram sets, indexed by 5-gram, to find the page a candidate shares most with, as a share
 * of the *smaller* of the two (so a long page that contains a whole short one is caught too).
 */
class ShingleIndex {
  private readonly pages = new Map<string, number[]>();
  private readonly sizes: number[] = [];

  add(set: ReadonlySet<string>): void {
    const page = this.sizes.length;
    this.sizes.push(set.size);
    for (const s of set) {
      const list = this.pages.get(s);
      if (list === undefined) this.pages.set(s, [page]);
      else list.push(page);
    }
  }

  largestShare(set: ReadonlySet<string>): number {
    const shared = new Map<number, number>();
    for (const s of set)
      for (const page of this.pages.get(s) ?? []) shared.set(page, (shared.get(page) ?? 0) + 1);
    let largest = 0;
    for (const [page, n] of shared)
      largest = Math.max(largest, n / Math.max(1, Math.min(set.size, this.sizes[page]!)));
    return largest;
  }
}

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function main(): void {
  const out = flag('--out') ?? join(DATA_DIR, 'web-pages.jsonl');
  const files = process.argv
    .slice(2)
    .filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  if (files.length === 0) throw new Error('usage: import-web-pages.ts FILE… [--out FILE] [--dev-set DIR]');
  const classes = new Set(DEFAULT_VOCABULARY.sections.map((s) => s.id));

  // Every dev-set page, eval and train: its URL, and its text's 5-grams.
  const devUrls = new Set<string>();
  const devPages = new ShingleIndex();
  const ids = readdirSync(join(DEV_SET_DIR, 'truth')).map((f) => f.replace(/\.json$/, ''));
  for (const id of ids) {
    const { url } = readDevTruth(id);
    if (url.startsWith('http')) devUrls.add(urlKey(url));
    // The text the section scripts read of it: normalizeDocument's, else the crude extraction.
    const article = devArticle(id);
    devPages.add(shingles(`${article.title ?? ''}\n${article.text}`));
  }
  console.log(`dev set: ${ids.length} pages, ${devUrls.size} URLs`);

  const dropped = new Map<string, string[]>();
  const drop = (reason: string, r: RawRecord): void => {
    dropped.set(reason, [...(dropped.get(reason) ?? []), r.url]);
  };
  const keptUrls = new Set<string>();
  const keptPages = new ShingleIndex();
  const kept: string[] = [];
  const disagreements: string[] = [];
  const counts = new Map<string, number>();
  let malformedCount = 0;
  // Evaluation files first: a training page that repeats an evaluation page (URL or text) is the one dropped.
  const isEval = (file: string): boolean => basename(file).startsWith('eval-');
  for (const file of [...files.filter(isEval), ...files.filter((f) => !isEval(f))]) {
    const split = isEval(file) ? 'eval' : 'train';
    const sample = isEval(file) || basename(file).startsWith('neutral-') ? 'neutral' : 'topic';
    const { records, malformed } = parseRecords(file, readFileSync(file, 'utf8'));
    for (const m of malformed) console.log(`malformed: ${m}`);
    malformedCount += malformed.length;
    for (const r of records) {
      if (!classes.has(r.label)) {
        drop(`label not in the vocabulary (${r.label})`, r);
        continue;
      }
      if (!['en', 'de', 'fr', 'es'].includes(r.language)) {
        drop('language not en/de/fr/es', r);
        continue;
      }
      const count = words(r.text).length;
      if (count < MIN_WORDS) {
        drop(`fewer than ${MIN_WORDS} words`, r);
        continue;
      }
      const detected = detectLanguage(r.text);
      if (detected !== r.language) {
        drop('detected language differs', r);
        continue;
      }
      const key = urlKey(r.url);
      if (devUrls.has(key)) {
        drop('a dev-set page', r);
        continue;
      }
      if (keptUrls.has(key)) {
        drop('URL repeats', r);
        continue;
      }
      const own = shingles(`${r.title}\n${r.text}`);
      if (devPages.largestShare(own) > MAX_SHARED) {
        drop('text shared with a dev-set page', r);
        continue;
      }
      if (keptPages.largestShare(own) > MAX_SHARED) {
        drop('text shared with an earlier kept page', r);
        continue;
      }
      keptUrls.add(key);
      keptPages.add(own);

      // The URL path as the tag step reads it: the outlet's metadata label, if its path names one.
      const byUrl = matchUrl(r.url);
      if (byUrl !== null && byUrl.id !== r.label)
        disagreements.push(`${r.url}: URL says ${byUrl.id}, reading ${r.label} (${r.why})`);

      const stems = [...contentFeatures(contentText({ title: r.title, text: r.text }), STEM_LENGTH)]
        .map(([stem, { count: n }]) => [stem, n] as const)
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      kept.push(
        JSON.stringify({
          url: r.url,
          split,
          sample,
          label: r.label,
          language: r.language,
          evidence: r.why,
          urlSection: byUrl?.id ?? null,
          words: count,
          stems: stems.map(([s, n]) => (n === 1 ? s : `${s}:${n}`)).join(' '),
        }),
      );
      const bucket = `${split} ${r.language} ${r.label}`;
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
  }
  const header = `# {url, split, sample, label, language, evidence, urlSection, words, stems} — web pages labelled by reading, with the outlet's section (URL path or section line) where it names one and the reading agrees (data/sections/README.md "Web pages"); stems: the classifier's features at stem length ${STEM_LENGTH} ("stem" or "stem:count"), title counted twice; no page text is kept`;
  writeFileSync(out, `${[header, ...kept].join('\n')}\n`);
  console.log(`kept ${kept.length} pages → ${out}; malformed records ${malformedCount}`);
  for (const [reason, urls] of dropped) console.log(`dropped ${urls.length}: ${reason}`);
  console.log(
    `per language and label: ${[...counts]
      .sort()
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  console.log(`URL section differs from the reading label: ${disagreements.length}`);
  for (const d of disagreements) console.log(`  ${d}`);
}

main();
