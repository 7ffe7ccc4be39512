/**
 * Make a JSONL batch for measuring `newsflow run` (docs/PERFORMANCE.md):
 *   npx tsx scripts/make-run-jsonl.ts --kind synthetic --count 1000 --out /tmp/run-1000.jsonl
 *   npx tsx scripts/make-run-jsonl.ts --kind eval-html --count 1000 --out /tmp/run-eval-1000.jsonl
 * `synthetic`: distinct generated articles as `{url, title, text, …}` records (scripts/bench).
 * `eval-html`: the extraction-dev pages as `{url, html}` records, so every line goes through HTML
 * extraction; pages are reused round-robin past 990, with a distinct URL per record.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { syntheticArticle, toJsonRecord } from './bench/synthetic-articles.ts';
import { DEFAULT_DEV_DIR } from './extraction-dev.ts';

const { values } = parseArgs({
  options: {
    kind: { type: 'string', default: 'synthetic' },
    count: { type: 'string', default: '1000' },
    out: { type: 'string', default: '/tmp/newsflow-run-1000.jsonl' },
    'eval-dir': { type: 'string', default: DEFAULT_DEV_DIR },
  },
});
const count = Number(values.count);
const lines: string[] = [];
if (values.kind === 'synthetic') {
  for (let n = 1; n <= count; n++) lines.push(toJsonRecord(syntheticArticle(n)));
} else if (values.kind === 'eval-html') {
  const dir = String(values['eval-dir']);
  const pages = readdirSync(join(dir, 'html')).sort();
  for (let n = 0; n < count; n++) {
    const file = pages[n % pages.length] as string;
    const id = file.replace(/\.html\.gz$/, '');
    const truth = JSON.parse(readFileSync(join(dir, 'truth', `${id}.json`), 'utf8')) as { url?: string };
    // JSON carries text, so non-UTF-8 pages arrive decoded as UTF-8 (lossy): fine for timing.
    const html = gunzipSync(readFileSync(join(dir, 'html', file))).toString('utf8');
    const base = truth.url && /^https?:/.test(truth.url) ? truth.url : `https://eval.example/${id}`;
    lines.push(JSON.stringify({ url: n < pages.length ? base : `${base}#copy-${n}`, html }));
  }
} else {
  throw new Error(`--kind must be synthetic or eval-html, got ${values.kind}`);
}
writeFileSync(String(values.out), `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length} records to ${values.out}`);
