/**
 * How often the near-duplicate lookup finds a pair the verifier would accept, by true Jaccard J
 * and band count (shared/domain/dedupe/lsh.ts): each of the 128 MinHash positions agrees with
 * probability J; the verifier accepts when at least half agree (estimated Jaccard ≥ 0.5), and
 * the lookup finds the pair when some band's three positions all agree. Monte Carlo with a fixed
 * seed, so the table is the same on every run:
 *   npx tsx scripts/lsh-recall.ts [--trials 40000]
 */
import { parseArgs } from 'node:util';
import { BANDS, ROWS } from '#shared/domain/dedupe/lsh.ts';
import { NUM_PERM } from '#shared/domain/dedupe/minhash.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/dedupe/near.ts';
import { seededRandom } from './bench/synthetic-articles.ts';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '40000' } } });
const trials = Number(values.trials);

/** Share of accepted pairs found with `bands` bands, and the share accepted, at Jaccard `j`. */
function simulate(j: number, bands: number): { found: number; accepted: number } {
  const random = seededRandom(0x5eed);
  const agree = new Uint8Array(NUM_PERM);
  let accepted = 0;
  let found = 0;
  for (let t = 0; t < trials; t += 1) {
    let same = 0;
    for (let i = 0; i < NUM_PERM; i += 1) {
      agree[i] = random() < j ? 1 : 0;
      same += agree[i] ?? 0;
    }
    if (same / NUM_PERM < DEFAULT_THRESHOLDS.jaccard) continue;
    accepted += 1;
    for (let b = 0; b < bands; b += 1) {
      let all = true;
      for (let r = 0; r < ROWS; r += 1) all &&= agree[b * ROWS + r] === 1;
      if (all) {
        found += 1;
        break;
      }
    }
  }
  return { found: accepted === 0 ? 0 : found / accepted, accepted: accepted / trials };
}

const candidate = (j: number, bands: number): number => 1 - (1 - j ** ROWS) ** bands;
const bandCounts = [...new Set([BANDS, 21, 25, 32, 42])].sort((a, b) => a - b);
console.log(`rows ${ROWS}, ${NUM_PERM} hashes, ${trials} trials per cell; shipped: ${BANDS} bands\n`);
console.log(
  `| J | accepted (est. ≥ ${DEFAULT_THRESHOLDS.jaccard}) | ${bandCounts.map((b) => `found, ${b} bands`).join(' | ')} | ${bandCounts.map((b) => `P(candidate), ${b}`).join(' | ')} |`,
);
console.log(
  `| --- | ---: | ${bandCounts.map(() => '---:').join(' | ')} | ${bandCounts.map(() => '---:').join(' | ')} |`,
);
for (const j of [0.4, 0.45, 0.5, 0.55, 0.6, 0.7]) {
  const cells = bandCounts.map((b) => simulate(j, b));
  console.log(
    `| ${j} | ${cells[0]?.accepted.toFixed(3)} | ${cells.map((c) => c.found.toFixed(4)).join(' | ')} | ${bandCounts.map((b) => candidate(j, b).toFixed(3)).join(' | ')} |`,
  );
}
