/**
 * S3 event sequencers: hex strings that order the events on one key. S3 documents comparing them
 * as hexadecimal numbers, and their lengths vary, so compare after left-padding.
 */

const WIDTH = 40;

/**
 * A fixed-width form of `sequencer` that sorts as the number does (empty for null), so DynamoDB
 * condition expressions can compare it as a string.
 */
export const sequencerOrder = (sequencer: string | null): string =>
  sequencer === null ? '' : sequencer.toUpperCase().padStart(WIDTH, '0');

/** Negative when `a` happened before `b`, positive after, 0 when equal; null sorts first. */
export const compareSequencers = (a: string | null, b: string | null): number => {
  const x = sequencerOrder(a);
  const y = sequencerOrder(b);
  return x < y ? -1 : x > y ? 1 : 0;
};
