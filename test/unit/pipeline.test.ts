import { describe, expect, it } from 'vitest';
import { nextStep, PIPELINE } from '#shared/pipeline.ts';

describe('pipeline definition', () => {
  it('orders the four steps normalize → dedupe → tag → store', () => {
    expect(PIPELINE.map((s) => s.name)).toEqual(['normalize', 'dedupe', 'tag', 'store']);
    expect(nextStep('normalize')?.name).toBe('dedupe');
    expect(nextStep('store')).toBeNull();
  });

  it('gives every step but the last permission to send to its next queue', () => {
    for (const step of PIPELINE) {
      const sends = step.access.some((a) => a.resource === 'nextQueue');
      expect(sends, step.name).toBe(nextStep(step.name) !== null);
    }
  });

  it('never lets a step write the raw prefix (raw objects are never modified)', () => {
    for (const step of PIPELINE) {
      const writesRaw = step.access.some(
        (a) => a.resource === 'bucket' && a.mode === 'write' && a.prefix.startsWith('incoming/'),
      );
      expect(writesRaw, step.name).toBe(false);
    }
  });
});
