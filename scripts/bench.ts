/**
 * `npm run bench [-- --dir DIR] [--rounds N]`
 *
 * Extraction speed on the extraction-dev pages: ms per page (median, p95, max) and pages per
 * second for our extractor and for Readability on linkedom, in one process, on the same decoded
 * text (decoding is the same for both and not timed). The two run alternately page by page so
 * load on the machine affects both alike; one warm-up round is not counted.
 */
import { parseArgs } from 'node:util';
import {
  DEFAULT_DEV_DIR,
  decodePage,
  type Extractor,
  loadDevSet,
  ours,
  readability,
} from './extraction-dev.ts';

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

interface Timing {
  readonly name: string;
  readonly ms: number[];
}

function main(): void {
  const { values } = parseArgs({
    options: { dir: { type: 'string', default: DEFAULT_DEV_DIR }, rounds: { type: 'string', default: '1' } },
  });
  const pages = loadDevSet(values.dir).map((p) => ({ url: p.truth.url, html: decodePage(p).text }));
  const extractors: Array<[string, Extractor]> = [
    ['newsflow (ours)', ours],
    ['Readability 0.6.0 on linkedom', readability],
  ];
  // Warm-up: JIT both code paths before measuring.
  for (const page of pages.slice(0, 100)) for (const [, extract] of extractors) extract(page.html, page.url);

  const timings: Timing[] = extractors.map(([name]) => ({ name, ms: [] }));
  const rounds = Number(values.rounds);
  for (let round = 0; round < rounds; round++) {
    for (const page of pages) {
      for (const [i, [, extract]] of extractors.entries()) {
        const started = performance.now();
        extract(page.html, page.url);
        timings[i]!.ms.push(performance.now() - started);
      }
    }
  }
  const kb = pages.reduce((n, p) => n + p.html.length, 0) / pages.length / 1024;
  console.log(
    `extraction-dev: ${pages.length} pages × ${rounds} round(s), mean page ${kb.toFixed(0)} K characters\n`,
  );
  console.log('| extractor | median ms | p95 ms | max ms | pages/s | pages > 1 s |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const medians: number[] = [];
  for (const t of timings) {
    const sorted = [...t.ms].sort((a, b) => a - b);
    const total = sorted.reduce((a, b) => a + b, 0);
    medians.push(quantile(sorted, 0.5));
    console.log(
      `| ${t.name} | ${quantile(sorted, 0.5).toFixed(2)} | ${quantile(sorted, 0.95).toFixed(2)} | ${sorted.at(-1)?.toFixed(1)} | ${((1000 * sorted.length) / total).toFixed(0)} | ${sorted.filter((m) => m > 1000).length} |`,
    );
  }
  const [oursMedian, baselineMedian] = medians;
  console.log(
    `\nmedian ratio: ours takes ${((oursMedian! / baselineMedian!) * 100).toFixed(0)}% of Readability's time (${(baselineMedian! / oursMedian!).toFixed(1)}× faster)`,
  );
}

main();
