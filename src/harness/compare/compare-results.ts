// Compares two results files per strategy and metric: change of the mean with a bootstrap confidence interval,
// a Mann-Whitney p-value and a verdict (regressed / improved / inconclusive / unchanged). Pure.
// Rule (docs/ci.md): a verdict other than inconclusive needs ≥ 2 trials a side, the whole CI of the ratio beyond
// ±minEffect, and, when the sample sizes can reach it, a Mann-Whitney p below alpha.
import type { Results } from "../results/schema.ts";
import { METRICS, type MetricDefinition } from "../report/metric-catalog.ts";
import { listStrategies, summarizeStrategy } from "../report/strategy-summary.ts";
import { bootstrapRatioOfMeans, computeMean } from "../stats/bootstrap.ts";
import { minimumExactP, testMannWhitney } from "../stats/mann-whitney.ts";
import { highestRunSteal } from "../results/run-steal.ts";

/** The verdict for one metric of one strategy. */
export type CompareVerdict = "regressed" | "improved" | "inconclusive" | "unchanged";

/** Options of compareResults; defaults: 95 % CI, alpha 0.05, minEffect 2 %, 2000 resamples. */
export interface CompareOptions {
  confidence?: number;
  alpha?: number;
  /** Changes smaller than this fraction are never called regressed/improved. */
  minEffect?: number;
  resamples?: number;
  seed?: number;
}

/** One row: a metric of a strategy in A (baseline) and B (candidate). */
export interface CompareRow {
  strategy: string;
  metric: MetricDefinition;
  samplesA: number[];
  samplesB: number[];
  meanA: number;
  meanB: number;
  /** mean(B)/mean(A) - 1 and its CI; NaN when mean(A) is 0 (CI and p: also NaN with fewer than 2 trials a side). */
  change: number;
  changeLow: number;
  changeHigh: number;
  p: number;
  verdict: CompareVerdict;
  /** Why the verdict is what it is, in a few words. */
  reason: string;
  /** fsync-bound metrics: mean / disk-floor (A's and B's own floors). */
  floorRatioA: number | undefined;
  floorRatioB: number | undefined;
}

/** The whole comparison. */
export interface Comparison {
  strategies: string[];
  onlyInA: string[];
  onlyInB: string[];
  rows: CompareRow[];
  options: Required<CompareOptions>;
  /** The highest CPU steal among each side's runs (% of CPU time), null where no run measured it. */
  steal: { a: number | null; b: number | null };
}

// The disk floor figure an fsync metric should be divided by.
function floorFor(results: Results, metric: MetricDefinition): number | undefined {
  if (!metric.fsyncBound || !results.diskFloor.measured) return undefined;
  return metric.id.endsWith("p99Us") ? results.diskFloor.p99Us : results.diskFloor.p50Us;
}

/** Decides the verdict of one metric from its samples (the rule of docs/ci.md; also the tie rule of the analysis). */
export function decideVerdict(
  metric: Pick<MetricDefinition, "better">,
  a: number[],
  b: number[],
  options: Required<CompareOptions>,
): Omit<CompareRow, "strategy" | "metric" | "samplesA" | "samplesB" | "floorRatioA" | "floorRatioB"> {
  const meanA = computeMean(a),
    meanB = computeMean(b);
  const interval = bootstrapRatioOfMeans(a, b, {
    confidence: options.confidence,
    resamples: options.resamples,
    seed: options.seed,
  });
  const mw = testMannWhitney(a, b);
  const base = {
    meanA,
    meanB,
    change: interval.ratio - 1,
    changeLow: interval.low - 1,
    changeHigh: interval.high - 1,
    p: mw.p,
  };
  if (a.length === b.length && a.every((v, i) => v === b[i]))
    return { ...base, verdict: "unchanged", reason: "identical samples" };
  if (a.length < 2 || b.length < 2) {
    // One trial has no spread: a CI or a rank test would only restate the point, so none is given.
    return {
      ...base,
      changeLow: Number.NaN,
      changeHigh: Number.NaN,
      p: Number.NaN,
      verdict: "inconclusive",
      reason: `${Math.min(a.length, b.length)} trial(s): repeat runs (repetitions ≥ 3) to judge`,
    };
  }
  const mwReachable = minimumExactP(a.length, b.length) < options.alpha;
  const significant = !mwReachable || mw.p < options.alpha;
  const worseSign = metric.better === "higher" ? -1 : 1;
  if (meanA === 0) {
    if (meanB === 0) return { ...base, verdict: "unchanged", reason: "both zero" };
    const verdict = significant && mw.p < 1 ? (worseSign > 0 ? "regressed" : "improved") : "inconclusive";
    return { ...base, verdict, reason: `from 0 to ${meanB}; Mann-Whitney p=${mw.p.toPrecision(2)}` };
  }
  const beyondUp = interval.low > 1 + options.minEffect;
  const beyondDown = interval.high < 1 - options.minEffect;
  if (!beyondUp && !beyondDown)
    return {
      ...base,
      verdict: "inconclusive",
      reason: `CI includes changes within ±${Math.round(options.minEffect * 100)} %`,
    };
  if (!significant)
    return { ...base, verdict: "inconclusive", reason: `Mann-Whitney p=${mw.p.toPrecision(2)} ≥ ${options.alpha}` };
  const worse = (beyondUp && worseSign > 0) || (beyondDown && worseSign < 0);
  return {
    ...base,
    verdict: worse ? "regressed" : "improved",
    reason: `CI beyond ±${Math.round(options.minEffect * 100)} %${mwReachable ? `, p=${mw.p.toPrecision(2)}` : ""}`,
  };
}

/** The defaults of CompareOptions (also the analysis's tie rule). */
export const DEFAULT_COMPARE_OPTIONS: Required<CompareOptions> = {
  confidence: 0.95,
  alpha: 0.05,
  minEffect: 0.02,
  resamples: 2000,
  seed: 1,
};

/** Compares baseline A with candidate B for every strategy both contain. */
export function compareResults(a: Results, b: Results, options: CompareOptions = {}): Comparison {
  const resolved: Required<CompareOptions> = { ...DEFAULT_COMPARE_OPTIONS, ...options };
  const inA = listStrategies(a),
    inB = listStrategies(b);
  const strategies = inA.filter((s) => inB.includes(s));
  const rows: CompareRow[] = [];
  for (const strategy of strategies) {
    const summaryA = summarizeStrategy(a, strategy),
      summaryB = summarizeStrategy(b, strategy);
    for (const metric of METRICS) {
      const samplesA = summaryA.samples[metric.id] ?? [],
        samplesB = summaryB.samples[metric.id] ?? [];
      if (samplesA.length === 0 || samplesB.length === 0) continue;
      const decided = decideVerdict(metric, samplesA, samplesB, resolved);
      const floorA = floorFor(a, metric),
        floorB = floorFor(b, metric);
      rows.push({
        strategy,
        metric,
        samplesA,
        samplesB,
        ...decided,
        floorRatioA: floorA === undefined ? undefined : decided.meanA / floorA,
        floorRatioB: floorB === undefined ? undefined : decided.meanB / floorB,
      });
    }
  }
  return {
    strategies,
    onlyInA: inA.filter((s) => !inB.includes(s)),
    onlyInB: inB.filter((s) => !inA.includes(s)),
    rows,
    options: resolved,
    steal: { a: highestRunSteal(a), b: highestRunSteal(b) },
  };
}
