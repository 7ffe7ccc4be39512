#!/usr/bin/env node
// Runs the TypeScript CLI from source through tsx, so `npx newsflow …` needs no build step.
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
