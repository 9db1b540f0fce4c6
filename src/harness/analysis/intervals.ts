// Uncertainty of a headline figure: a strategy's mean with a 95 % interval, from its repetitions when there
// are several (bootstrap of the mean), else from the single run's own time buckets (said so), else none. Pure.
import type { FigureInterval } from "../results/analysis-schema.ts";
import type { Results, RunResult } from "../results/schema.ts";
import type { MetricDefinition } from "../report/metric-catalog.ts";
import { bootstrapMean } from "../stats/bootstrap.ts";

/** Metrics whose per-bucket values the timeline keeps (so one run still has a spread). */
const BUCKET_READERS: Record<string, (bucket: { opsPerSec: number; p99Ms: number }) => number> = {
  "throughput.opsPerSec": (bucket) => bucket.opsPerSec,
  "latency.p99Ms": (bucket) => bucket.p99Ms,
};

/** True when the metric has per-bucket values in the timeline. */
export function hasBucketSamples(metricId: string): boolean {
  return BUCKET_READERS[metricId] !== undefined;
}

/** One run's bucket values of a metric: whole buckets inside its recorded load phases (empty buckets dropped). */
export function readBucketSamples(run: RunResult, metricId: string): number[] {
  const reader = BUCKET_READERS[metricId];
  if (reader === undefined) return [];
  const { timeline, bucketMs } = run.metrics.throughput;
  const windows = run.phases.filter((phase) => phase.record && phase.kind !== "recovery");
  return timeline
    .filter(
      (bucket) =>
        bucket.ok > 0 && windows.some((phase) => bucket.tMs >= phase.startMs && bucket.tMs + bucketMs <= phase.endMs),
    )
    .map((bucket) => reader(bucket));
}

/** The interval of one strategy's figure for a metric, from its ok runs' samples. */
export function estimateInterval(
  metric: MetricDefinition,
  runs: readonly RunResult[],
  seed = 1,
): FigureInterval | undefined {
  const samples = runs.map((run) => metric.read(run)).filter((value): value is number => value !== undefined);
  if (samples.length === 0) return undefined;
  if (samples.length >= 2 && metric.aggregate === "mean") {
    const interval = bootstrapMean(samples, { seed });
    return { mean: interval.mean, low: interval.low, high: interval.high, basis: "repetitions", n: samples.length };
  }
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  const only = runs.find((run) => metric.read(run) !== undefined);
  const buckets = samples.length === 1 && only !== undefined ? readBucketSamples(only, metric.id) : [];
  if (buckets.length >= 4) {
    const interval = bootstrapMean(buckets, { seed });
    // The bucket spread is centred on the run's own figure (p99 of the whole run is not the mean of bucket p99s).
    const shift = mean - interval.mean;
    return { mean, low: interval.low + shift, high: interval.high + shift, basis: "time-buckets", n: buckets.length };
  }
  return { mean, basis: "single", n: samples.length };
}

/** The ok runs of a strategy (all its runs when none is ok). */
export function selectStrategyRuns(results: Results, strategy: string): RunResult[] {
  const all = results.runs.filter((run) => run.strategy === strategy);
  const ok = all.filter((run) => run.status === "ok");
  return ok.length > 0 ? ok : all;
}
