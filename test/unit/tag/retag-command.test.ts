import { describe, expect, it } from 'vitest';
import { COMMANDS } from '#local/commands/index.ts';

describe('newsflow retag', () => {
  it('is a CLI command taking --since and --dry-run', async () => {
    // Prepare
    const load = COMMANDS.retag;

    // Act
    const { command } = await load!();

    // Assess
    expect(command.usage).toContain('--since');
    expect(Object.keys(command.options)).toEqual(expect.arrayContaining(['since', 'dry-run', 'data-dir']));
  });
});
