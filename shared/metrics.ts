/**
 * The metrics port: what a step counts (articles normalized, records rejected by reason,
 * duplicates by kind, what the store did). Steps count through it so they stay testable and the
 * domain stays pure; Lambda backs it with Powertools (embedded metric format to stdout), the local
 * runner leaves it unset (nothing is counted, nothing printed) and tests may use {@link CountingMetrics}.
 */
import type { MiddlewareLikeObj } from '@aws-lambda-powertools/commons/types';
import type { FailureCode } from './domain/outcomes.ts';

/** Namespace of the metrics every step emits (the dashboard graphs everything in it). */
export const METRICS_NAMESPACE = 'newsflow';

/** Every metric a step emits; all are counts. */
export type MetricName =
  | 'ArticlesNormalized'
  | 'RecordsRejected'
  | 'RecordsFailed'
  | 'DuplicatesFound'
  | 'ArticlesTagged'
  | 'ArticlesStored'
  | 'VersionsStored'
  | 'ArticlesUnchanged';

/**
 * Why normalize rejected an input: the stable failure code, never free text, so the `reason`
 * dimension has a handful of values (CloudWatch bills and graphs per dimension value).
 */
export type RejectReason = FailureCode | 'deleted-before-read';

/** Dimensions of a count; values must come from small closed sets (codes, kinds, error names). */
export type MetricDimensions = Readonly<Record<string, string>>;

/** Counts for one step. */
export interface StepMetrics {
  /** Add `n` to metric `name` with `dimensions` (none: the step's plain total). */
  count(name: MetricName, n: number, dimensions?: MetricDimensions): void;
  /**
   * Middleware the Lambda edge wraps each invocation in when the counts must be flushed (the
   * Powertools backend); absent when counts need no flushing.
   */
  middleware?(): MiddlewareLikeObj;
}

/** Key of one (name, dimensions) series, dimensions in a stable order. */
export const seriesKey = (name: MetricName, dimensions: MetricDimensions = {}): string =>
  [
    name,
    ...Object.keys(dimensions)
      .sort()
      .map((k) => `${k}=${dimensions[k]}`),
  ].join('|');

/** Counts kept in memory: what tests (and a local caller that wants totals) read back. */
export class CountingMetrics implements StepMetrics {
  readonly #totals = new Map<string, number>();

  count(name: MetricName, n: number, dimensions?: MetricDimensions): void {
    if (n === 0) return;
    const key = seriesKey(name, dimensions);
    this.#totals.set(key, (this.#totals.get(key) ?? 0) + n);
  }

  /** The total counted for `name` with exactly `dimensions`. */
  total(name: MetricName, dimensions?: MetricDimensions): number {
    return this.#totals.get(seriesKey(name, dimensions)) ?? 0;
  }
}
