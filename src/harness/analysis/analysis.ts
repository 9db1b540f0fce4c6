// The analysis of a results file: every headline figure with its interval, the rankings with their ties, the
// bottlenecks, and the usual advice checked. Stored in results.json (`analysis`) when a run ends; the report,
// the terminal summary and recommend compute the same from the runs. Pure.
import type { AnalyzedFigure, Analysis } from "../results/analysis-schema.ts";
import type { Results } from "../results/schema.ts";
import { findMetric } from "../report/metric-catalog.ts";
import { findBoundFigures, findSaturatedPhases } from "./bottlenecks.ts";
import { judgeUsualAdvice } from "./claims.ts";
import { estimateInterval, hasBucketSamples, readBucketSamples, selectStrategyRuns } from "./intervals.ts";
import { rankStrategies } from "./ties.ts";

/** The headline metrics that get an interval and a ranking. */
export const HEADLINE_METRICS = [
  "throughput.opsPerSec",
  "latency.p50Ms",
  "latency.p99Ms",
  "fixedRate.p50Ms",
  "fixedRate.p99Ms",
  "fsync.p50Us",
  "fsync.p99Us",
  "recovery.readyMs",
  "rewrite.durationMs",
  "rewrite.p99MsDuring",
] as const;

/** Analyses a results object. */
export function analyzeResults(results: Results): Analysis {
  const strategies = [...new Set(results.runs.map((run) => run.strategy))];
  const saturated = findSaturatedPhases(results);
  const bound = findBoundFigures(results, saturated);
  const figures: Analysis["figures"] = {};
  const rankings: Analysis["rankings"] = {};
  for (const id of HEADLINE_METRICS) {
    const metric = findMetric(id);
    if (metric === undefined) continue;
    const samples = [];
    for (const strategy of strategies) {
      const runs = selectStrategyRuns(results, strategy);
      const interval = estimateInterval(metric, runs);
      if (interval === undefined) continue;
      const boundBy = bound.find((entry) => entry.strategy === strategy && entry.metrics.includes(id));
      (figures[strategy] ??= {})[id] = boundBy === undefined ? interval : { ...interval, boundedBy: boundBy.by };
      const values = runs.map((run) => metric.read(run)).filter((value): value is number => value !== undefined);
      samples.push({
        strategy,
        runs: values,
        ...(hasBucketSamples(id) && runs.length === 1 && runs[0] !== undefined
          ? { buckets: readBucketSamples(runs[0], id) }
          : {}),
      });
    }
    if (samples.length > 0) rankings[id] = rankStrategies(metric, samples);
  }
  return { confidence: 0.95, figures, rankings, bottlenecks: { saturated, bound }, claims: judgeUsualAdvice(results) };
}
