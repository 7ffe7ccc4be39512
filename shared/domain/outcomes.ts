/**
 * Expected outcomes are values, not exceptions (see docs/ARCHITECTURE.md). A step returns
 * `Ok` or one of the tagged failures; faults (network, throttling, bugs) are thrown as
 * named errors and retried by the queue.
 */

/** Why an input could not become an article. `code` is stable; `reason` is for people. */
export type FailureCode =
  | 'unsupported-format'
  | 'empty'
  | 'too-large'
  | 'unparseable'
  | 'no-content'
  | 'invalid-record'
  | 'dead-lettered';

export interface Rejected {
  readonly tag: 'rejected';
  readonly code: FailureCode;
  /** A sentence a person understands, naming what was wrong. */
  readonly reason: string;
}

/** Build a {@link Rejected} outcome. */
export const rejected = (code: FailureCode, reason: string): Rejected => ({ tag: 'rejected', code, reason });

/** What happened to one input in the end; recorded per (raw key, line) in the Ingestions table. */
export type IngestionOutcome = 'stored' | 'duplicate' | 'version' | 'unchanged' | 'failed';
