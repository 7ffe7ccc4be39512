#!/usr/bin/env -S node --max-semi-space-size=64
// Runs the TypeScript CLI from source through tsx, so `npx newsflow …` needs no build step.
// The flag gives V8 a 64 MB young generation (16 MB by default): `run` and `serve` keep hundreds
// of requests in flight, whose objects outlived a 16 MB scavenge and were copied and promoted;
// garbage collection was 15 % of this process's CPU in `newsflow run` and 8 % with it
// (docs/PERFORMANCE.md, round 5). `env -S` is GNU coreutils 8.30+ and macOS; where `env` lacks
// it, run `node bin/newsflow.js …`, which works the same without the tuning.
import { register } from 'tsx/esm/api';

// The AWS SDK warns once per process that its 2027 releases drop Node 20; on a CLI whose stdout
// and stderr are read by people and scripts that line is noise, so drop just that warning.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  if (String(warning).startsWith('NodeVersionSupportWarning')) return;
  emitWarning(warning, ...rest);
};

register();
const { entry } = await import('../local/cli.ts');
await entry();
