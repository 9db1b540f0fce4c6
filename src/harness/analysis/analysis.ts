// The analysis of a results file: every headline figure with its interval, the rankings with their ties, the
// bottlenecks, and the usual advice checked. Stored in results.json (`analysis`) when a run ends; the report,
// the terminal summary and recommend compute the same from the runs. Pure.
import type { Results } from "../results/schema.ts";
import { findMetric } from "../report/metric-catalog.ts";
import { findBoundFigures, findSaturatedPhases, type BoundFigures, type SaturatedPhase } from "./bottlenecks.ts";
import { judgeUsualAdvice, type Claim } from "./claims.ts";
import { estimateInterval, hasBucketSamples, readBucketSamples, selectStrategyRuns, type FigureInterval } from "./intervals.ts";
import { rankStrategies, type Ranking } from "./ties.ts";

/** The headline metrics that get an interval and a ranking. */
export const HEADLINE_METRICS = [
  "throughput.opsPerSec", "latency.p50Ms", "latency.p99Ms", "fixedRate.p50Ms", "fixedRate.p99Ms",
  "fsync.p50Us", "fsync.p99Us", "recovery.readyMs", "rewrite.durationMs", "rewrite.p99MsDuring",
] as const;

/** A strategy's figure for a metric, with its interval and, when a saturated phase produced it, what bound it. */
export interface AnalyzedFigure extends FigureInterval {
  boundedBy?: string[];
}

/** The `analysis` block of results.json. */
export interface Analysis {
  /** Confidence of every interval. */
  confidence: number;
  /** strategy → metric id → figure. */
  figures: Record<string, Record<string, AnalyzedFigure>>;
  /** metric id → ranking of the strategies (leaders tie when the statistics cannot separate them). */
  rankings: Record<string, Ranking>;
  bottlenecks: { saturated: SaturatedPhase[]; bound: BoundFigures[] };
  claims: Claim[];
}

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
      samples.push({ strategy, runs: values, ...(hasBucketSamples(id) && runs.length === 1 && runs[0] !== undefined ? { buckets: readBucketSamples(runs[0], id) } : {}) });
    }
    if (samples.length > 0) rankings[id] = rankStrategies(metric, samples);
  }
  return { confidence: 0.95, figures, rankings, bottlenecks: { saturated, bound }, claims: judgeUsualAdvice(results) };
}
