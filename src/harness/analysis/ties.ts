// Ranks strategies on one metric and says where the ranking is noise: the best strategy, and every strategy the
// statistics of `compare` (bootstrap CI of the ratio beyond ±2 %, Mann-Whitney where the sample sizes can reach
// alpha) cannot tell from it, tie with it. One repetition each: the runs' time buckets, said so. Pure.
import { decideVerdict, DEFAULT_COMPARE_OPTIONS } from "../compare/compare-results.ts";
import { minimumExactP } from "../stats/mann-whitney.ts";
import { formatChange } from "../report/format.ts";
import { maxOf, minOf } from "../shared/bulk-arrays.ts";
import type { IntervalBasis, Ranking, VersusBest } from "../results/analysis-schema.ts";

/** One strategy's samples of a metric: per run, and (one-run strategies) per time bucket. */
export interface StrategySamples {
  strategy: string;
  runs: number[];
  buckets?: number[];
}

const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

// Which samples the comparison uses: repetitions when every strategy has two or more, else one run's buckets.
function chooseBasis(entries: readonly StrategySamples[]): IntervalBasis {
  if (entries.every((entry) => entry.runs.length >= 2)) return "repetitions";
  if (entries.every((entry) => entry.runs.length === 1 && (entry.buckets?.length ?? 0) >= 4)) return "time-buckets";
  return "single";
}

// What would tell the tied strategies apart.
function suggestSeparation(basis: IntervalBasis, runs: number): string {
  if (basis === "single") return "repeat the runs (repetitions ≥ 3 in the scenario) so each strategy has a spread";
  if (basis === "time-buckets") return "repetitions ≥ 3: one run's time buckets are not independent samples";
  if (minimumExactP(runs, runs) >= DEFAULT_COMPARE_OPTIONS.alpha)
    return `more repetitions (≥ 4 each lets the rank test reach p < ${DEFAULT_COMPARE_OPTIONS.alpha}) or longer phases`;
  return `more repetitions or longer phases (a difference under ${Math.round(DEFAULT_COMPARE_OPTIONS.minEffect * 100)} % is never called)`;
}

/** Ranks strategies on a metric; ties where the difference from the best is not clear. */
export function rankStrategies(
  metric: { id: string; better: "higher" | "lower" },
  input: readonly StrategySamples[],
): Ranking {
  const entries = input.filter((entry) => entry.runs.length > 0);
  const basis = chooseBasis(entries);
  const samplesOf = (entry: StrategySamples): number[] =>
    basis === "time-buckets" ? (entry.buckets ?? []) : entry.runs;
  const sign = metric.better === "higher" ? -1 : 1;
  const sorted = [...entries].sort((x, y) => sign * (mean(x.runs) - mean(y.runs)));
  const best = sorted[0];
  const base = { metric: metric.id, better: metric.better, basis, order: sorted.map((entry) => entry.strategy) };
  if (best === undefined)
    return { ...base, leaders: [], clear: false, reason: "not measured", separate: "", versusBest: [] };
  const versusBest: VersusBest[] = sorted.slice(1).map((entry) => {
    if (basis === "single") {
      const change = mean(entry.runs) / mean(best.runs) - 1;
      return {
        strategy: entry.strategy,
        tied: true,
        change,
        changeLow: Number.NaN,
        changeHigh: Number.NaN,
        p: Number.NaN,
        reason: "one measurement each",
      };
    }
    const decided = decideVerdict(metric, samplesOf(best), samplesOf(entry), DEFAULT_COMPARE_OPTIONS);
    const interval = Number.isFinite(decided.changeLow)
      ? ` (95 % CI ${formatChange(decided.changeLow)} to ${formatChange(decided.changeHigh)})`
      : "";
    const reason = `${entry.strategy} ${formatChange(decided.change)}${interval}: ${decided.reason}`;
    return {
      strategy: entry.strategy,
      tied: decided.verdict !== "regressed",
      change: decided.change,
      changeLow: decided.changeLow,
      changeHigh: decided.changeHigh,
      p: decided.p,
      reason,
    };
  });
  const leaders = [best.strategy, ...versusBest.filter((entry) => entry.tied).map((entry) => entry.strategy)];
  const clear = leaders.length === 1 && entries.length > 1;
  if (clear || entries.length === 1) return { ...base, leaders, clear, reason: "", separate: "", versusBest };
  const tiedReasons = versusBest.filter((entry) => entry.tied).map((entry) => entry.reason);
  const counts = entries.map((entry) => entry.runs.length);
  const source =
    basis === "repetitions"
      ? `${minOf(counts) === maxOf(counts) ? minOf(counts) : `${minOf(counts)}-${maxOf(counts)}`} repetitions each`
      : basis === "time-buckets"
        ? "one run each, compared on its time buckets"
        : "one run each";
  return {
    ...base,
    leaders,
    clear,
    reason: `indistinguishable from ${best.strategy} (${source}: ${tiedReasons.join("; ")})`,
    separate: suggestSeparation(basis, minOf(entries.map((entry) => entry.runs.length))),
    versusBest,
  };
}
