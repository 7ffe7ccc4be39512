/**
 * Where a CPU profile's time went, grouped the way docs/PERFORMANCE.md reports it (AWS SDK,
 * Node HTTP, garbage collection, newsflow's domain code, dynalite, LevelDB, …), as shares of the
 * busy (non-idle) time, plus the top functions by self time:
 *   node --cpu-prof --cpu-prof-dir=/tmp/nf-prof bin/newsflow.js run /tmp/run-1000.jsonl --data-dir /tmp/nf-p --json
 *   npx tsx scripts/profile-summary.ts /tmp/nf-prof/*.cpuprofile [--top 25]
 * `run` writes one profile per process and thread (the servers' child takes the CLI's
 * `--cpu-prof` flags); the two largest are the newsflow process and the servers' process.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '15' } },
  allowPositionals: true,
});

/** The reporting group of a frame; first match wins. */
const GROUPS: ReadonlyArray<readonly [string, (f: CallFrame) => boolean]> = [
  ['idle', (f) => f.functionName === '(idle)'],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['AWS SDK (serialize, middleware, sign)', (f) => /@smithy|@aws-sdk/.test(f.url)],
  ['handler plumbing (middy, Powertools, zod)', (f) => /powertools|@middy|\/zod\//.test(f.url)],
  ['domain: tag', (f) => f.url.includes('shared/domain/tag')],
  ['domain: shingles, MinHash, LSH', (f) => f.url.includes('shared/domain/dedupe')],
  ['domain: normalize', (f) => f.url.includes('shared/domain/normalize')],
  ['domain: other', (f) => f.url.includes('shared/domain')],
  ['record cache + key filter', (f) => /local\/(dynalite-record-cache|key-filter)/.test(f.url)],
  ['LevelDB (classic-level)', (f) => /classic-level|abstract-level/.test(f.url)],
  ['dynalite', (f) => /dynalite|big\.js|buffer-crc32|\/lock\/|\/async\//.test(f.url)],
  ['s3rver', (f) => /s3rver|koa/.test(f.url)],
  ['newsflow steps, adapters, runner', (f) => /\/(shared|functions|local)\//.test(f.url)],
  [
    'Node HTTP, sockets, streams',
    (f) =>
      /node:_http|node:net|node:internal\/stream|stream_base|node:events/.test(f.url) ||
      f.functionName === 'writev',
  ],
  ['crypto (hash, random)', (f) => f.url.includes('node:internal/crypto')],
  ['module loading', (f) => /modules|tsx|esm/.test(f.url)],
];
const groupOf = (f: CallFrame): string =>
  GROUPS.find(([, test]) => test(f))?.[0] ?? 'other (V8, microtasks, timers)';

const where = (f: CallFrame): string => {
  const pkg = f.url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
  const file = pkg ?? f.url.replace(/^.*?\/(shared|functions|local|scripts)\//, '$1/');
  return `${f.functionName || '(anonymous)'} ${file || '(native)'}`;
};

const top = Number(values.top);
for (const path of positionals) {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const [i, id] of profile.samples.entries()) {
    const frame = frames.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    if (!frame) continue;
    const group = groupOf(frame);
    if (group === 'idle') continue;
    busy += dt;
    groups.set(group, (groups.get(group) ?? 0) + dt);
    functions.set(where(frame), (functions.get(where(frame)) ?? 0) + dt);
  }
  const share = (us: number): string => `${((100 * us) / busy).toFixed(1)} %`;
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  console.log(
    `\n${basename(path)}: ${(busy / 1e6).toFixed(1)} s busy\n\n| group | share of busy time |\n| --- | ---: |`,
  );
  for (const [group, us] of sorted(groups)) console.log(`| ${group} | ${share(us)} |`);
  console.log(`\ntop ${top} functions by self time:`);
  for (const [fn, us] of sorted(functions).slice(0, top)) console.log(`  ${share(us).padStart(7)}  ${fn}`);
}
