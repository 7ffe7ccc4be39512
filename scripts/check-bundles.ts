/**
 * Bundle-size check: builds every step's Lambda entry with the same esbuild settings as the
 * CDK construct (infra/bundling.ts), prints minified size and cold import time per function,
 * and exits 1 when a bundle is over 1 MB or an entry is missing.
 *
 *   npm run check:bundles               # what deploys (AWS SDK external, from the runtime)
 *   npm run check:bundles -- --with-sdk # the same with the SDK bundled, for comparison
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_TARGET, ESM_REQUIRE_BANNER, EXTERNAL_MODULES, MAX_BUNDLE_BYTES } from '../infra/bundling.ts';
import { REPO_ROOT } from '../infra/constructs/pipeline-function.ts';
import { ACCESS_ENV, PIPELINE } from '../shared/pipeline.ts';

const withSdk = process.argv.includes('--with-sdk');
// Under cdk.out/ so the bundles resolve the externalized SDK from node_modules when imported.
const outRoot = join(REPO_ROOT, 'cdk.out', 'bundle-check');

// Just enough configuration for an entry's module scope to build its dependencies: a made-up
// name for every resource a step can be granted (from ACCESS_ENV, so a new access kind is covered).
const FAKE_ENV: Record<string, string> = {
  ...Object.fromEntries(
    Object.values(ACCESS_ENV).map((name) => [
      name,
      name.endsWith('_URL')
        ? `https://sqs.eu-west-1.amazonaws.com/000000000000/bundle-check-${name}`
        : `bundle-check-${name}`,
    ]),
  ),
  AWS_REGION: 'eu-west-1',
  NODE_NO_WARNINGS: '1',
};

/** Median wall time of importing the bundle in a fresh Node process, in ms. */
function coldImportMs(file: string): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const t=performance.now();await import(${JSON.stringify(`file://${file}`)});console.log(performance.now()-t)`,
      ],
      { env: FAKE_ENV, encoding: 'utf8' },
    );
    times.push(Number(out.trim()));
  }
  times.sort((a, b) => a - b);
  return times[2]!;
}

rmSync(outRoot, { recursive: true, force: true });
let failed = false;
const rows: string[] = [];
for (const step of PIPELINE) {
  const entry = join(REPO_ROOT, step.entry);
  if (!existsSync(entry)) {
    rows.push(`| ${step.name} | missing entry ${step.entry} | | |`);
    failed = true;
    continue;
  }
  const outdir = join(outRoot, step.name);
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, 'index.mjs');
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    minify: true,
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    external: withSdk ? [] : [...EXTERNAL_MODULES],
    metafile: true,
    logLevel: 'error',
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  const over = bytes > MAX_BUNDLE_BYTES;
  failed ||= over;
  const ms = coldImportMs(outfile);
  rows.push(
    `| ${step.name} | ${(bytes / 1024).toFixed(0)} KB${over ? ' **over 1 MB**' : ''} | ${ms.toFixed(0)} ms |`,
  );
}

console.log(
  `Lambda bundles (minified ESM, ${withSdk ? 'AWS SDK bundled' : 'AWS SDK external'}; limit 1024 KB)\n`,
);
console.log('| function | bundle | cold import (median of 5, this machine) |');
console.log('| --- | --- | --- |');
for (const row of rows) console.log(row);
if (failed) {
  console.error('\nBundle check failed: a bundle is over 1 MB or an entry is missing.');
  process.exit(1);
}
