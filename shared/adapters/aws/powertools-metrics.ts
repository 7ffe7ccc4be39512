/**
 * {@link StepMetrics} on Powertools Metrics: counts become CloudWatch metrics through the
 * embedded metric format (one JSON line on stdout per invocation, no API calls). Counts are summed
 * in memory during an invocation and flushed by {@link PowertoolsStepMetrics.middleware} when it
 * ends, success or not: plain counts in one EMF document with the cold-start metric captured
 * separately, and each dimensioned series (a rejection reason, a duplicate kind) in its own
 * document, because every metric in one EMF document shares that document's dimensions.
 */
import type {
  GenericLogger,
  MiddlewareLikeObj,
  MiddyLikeRequest,
} from '@aws-lambda-powertools/commons/types';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import {
  METRICS_NAMESPACE,
  type MetricDimensions,
  type MetricName,
  type StepMetrics,
  seriesKey,
} from '../../metrics.ts';

interface Series {
  readonly name: MetricName;
  readonly dimensions: MetricDimensions;
  n: number;
}

/** Powertools-backed metrics for one step (the `service` dimension). */
export class PowertoolsStepMetrics implements StepMetrics {
  readonly #metrics: Metrics;
  readonly #pending = new Map<string, Series>();

  constructor(step: string, opts: { logger?: GenericLogger; namespace?: string } = {}) {
    this.#metrics = new Metrics({
      namespace: opts.namespace ?? METRICS_NAMESPACE,
      serviceName: step,
      // Powertools' own warnings (e.g. an invocation that counted nothing) as structured log lines.
      ...(opts.logger ? { logger: opts.logger } : {}),
    });
  }

  count(name: MetricName, n: number, dimensions: MetricDimensions = {}): void {
    if (n === 0) return;
    const key = seriesKey(name, dimensions);
    const series = this.#pending.get(key);
    if (series) series.n += n;
    else this.#pending.set(key, { name, dimensions, n });
  }

  /** Hand the invocation's sums to Powertools (dimensioned series are printed at once). */
  #flush(): void {
    for (const { name, dimensions, n } of this.#pending.values()) {
      const entries = Object.entries(dimensions);
      if (entries.length === 0) {
        this.#metrics.addMetric(name, MetricUnit.Count, n);
        continue;
      }
      const single = this.#metrics.singleMetric();
      for (const [key, value] of entries) single.addDimension(key, value);
      single.addMetric(name, MetricUnit.Count, n);
    }
    this.#pending.clear();
  }

  /** The middy middleware for the step's handler: cold start, then a flush per invocation. */
  middleware(): MiddlewareLikeObj {
    const publish = logMetrics(this.#metrics, { captureColdStartMetric: true });
    const flushThenPublish = async (request: MiddyLikeRequest): Promise<void> => {
      this.#flush();
      await publish.after?.(request);
    };
    return { before: publish.before, after: flushThenPublish, onError: flushThenPublish };
  }
}
