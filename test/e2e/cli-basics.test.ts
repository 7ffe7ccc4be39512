import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '#local/cli.ts';
import { captureIo } from '../support/capture-io.ts';

describe('newsflow CLI basics', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsflow-cli-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the commands and the exit codes', async () => {
    const io = captureIo(dir);
    expect(await main(['help'], io)).toBe(0);
    expect(io.out()).toMatch(/export .*JSON lines/);
    expect(io.out()).toMatch(/Exit codes: 0 ok/);
  });

  it('exits 2 naming an unknown command or option', async () => {
    const io = captureIo(dir);
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(await main(['export', '--bogus'], io)).toBe(2);
    expect(io.err()).toMatch(/Unknown command "frobnicate"/);
    expect(io.err()).toMatch(/Unknown option '--bogus'/);
  });

  it('prints nothing and exits 0 for an empty data dir', async () => {
    const io = captureIo(dir);
    expect(await main(['ingestions', '--data-dir', join(dir, 'data')], io)).toBe(0);
    expect(io.out()).toBe('');
  });
});
