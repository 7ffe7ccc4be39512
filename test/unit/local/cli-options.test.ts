import { describe, expect, it } from 'vitest';
import { batchingWindowOf } from '#local/commands/types.ts';
import { UsageError } from '#local/errors.ts';

describe('--batching-window-ms (run, serve)', () => {
  it('gathers batches for 100 ms unless told otherwise, and takes 0 for no wait', () => {
    // Act / Assess
    expect(batchingWindowOf({})).toBe(100);
    expect(batchingWindowOf({ 'batching-window-ms': '0' })).toBe(0);
    expect(batchingWindowOf({ 'batching-window-ms': '1000' })).toBe(1000);
  });

  it('refuses what is not a whole number of milliseconds, naming the option and the value', () => {
    // Act / Assess
    for (const bad of ['-5', '1.5', 'soon']) {
      expect(() => batchingWindowOf({ 'batching-window-ms': bad })).toThrow(UsageError);
      expect(() => batchingWindowOf({ 'batching-window-ms': bad })).toThrow(
        `--batching-window-ms must be a whole number, got ${bad}`,
      );
    }
  });
});
