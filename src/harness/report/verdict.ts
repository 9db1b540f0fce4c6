// "Which strategy for which need": the measured answer per need, with ties where the statistics cannot separate
// the strategies and the machine's limits said out loud; and the best cell per column of the table. Pure.
import type { Results } from "../results/schema.ts";
import { analyzeResults } from "../analysis/analysis.ts";
import type { Analysis } from "../results/analysis-schema.ts";
import { recommendStrategy } from "../recommend/recommend-strategy.ts";
import { formatInterval } from "./format-interval.ts";
import { formatValue } from "./format.ts";
import { summarizeStrategies, type StrategySummary } from "./strategy-summary.ts";

/** One need and the strategy that serves it best, with the deciding figure. */
export interface NeedAnswer {
  need: string;
  /** The best strategy (the first of `tied` when there is a tie). */
  strategy: string | undefined;
  evidence: string;
  /** Strategies the statistics cannot tell apart for this need (the answer is a tie when it has two or more). */
  tied: string[];
  /** Why it is a tie and what would separate them, or what bounded the figure; "" when nothing to add. */
  note: string;
}

// The strategy with the best value of a metric (undefined values never win).
function pickBest(
  summaries: readonly StrategySummary[],
  metricId: string,
  better: "higher" | "lower",
): StrategySummary | undefined {
  const measured = summaries.filter((s) => s.values[metricId] !== undefined);
  return measured.sort(
    (a, b) => (better === "higher" ? 1 : -1) * ((b.values[metricId] ?? 0) - (a.values[metricId] ?? 0)),
  )[0];
}

// The answer for a ranked metric: leader(s), figure with interval, tie and bottleneck notes.
function answerRanked(analysis: Analysis, need: string, metricId: string, unit: string): NeedAnswer {
  const ranking = analysis.rankings[metricId];
  const best = ranking?.leaders[0];
  if (ranking === undefined || best === undefined)
    return { need, strategy: undefined, evidence: "not measured", tied: [], note: "" };
  const figure = analysis.figures[best]?.[metricId];
  const notes: string[] = [];
  if (ranking.leaders.length > 1) notes.push(`tie: ${ranking.reason}; ${ranking.separate} would separate them`);
  const bound = ranking.leaders.filter((strategy) => analysis.figures[strategy]?.[metricId]?.boundedBy !== undefined);
  if (bound.length > 0)
    notes.push(
      `bounded by the machine (${[...new Set(bound.flatMap((s) => analysis.figures[s]?.[metricId]?.boundedBy ?? []))].join(" and ")} saturated) for ${bound.join(", ")}: the figure measured the shared CPU, not the strategy's cost`,
    );
  return {
    need,
    strategy: best,
    evidence: figure === undefined ? "not measured" : formatInterval(figure, unit),
    tied: ranking.leaders.length > 1 ? ranking.leaders : [best],
    note: notes.join(". "),
  };
}

/** Answers the usual needs from the measured figures (the analysis is computed when not given). */
export function answerNeeds(results: Results, analysis: Analysis = analyzeResults(results)): NeedAnswer[] {
  const summaries = summarizeStrategies(results);
  const answers: NeedAnswer[] = [];
  answers.push(answerRanked(analysis, "Most throughput", "throughput.opsPerSec", "ops/s"));
  answers.push(answerRanked(analysis, "Lowest tail latency (p99)", "latency.p99Ms", "ms"));
  if (analysis.rankings["fixedRate.p99Ms"] !== undefined)
    answers.push(answerRanked(analysis, "Lowest p99 at a fixed rate (equal load)", "fixedRate.p99Ms", "ms"));
  for (const [need, maxLossMs] of [
    ["No acknowledged write lost", 0],
    ["Lose at most 1 s of writes", 1000],
  ] as const) {
    const recommendation = recommendStrategy(results, { maxLossMs });
    const pick = recommendation.pick?.summary;
    const tied = pick === undefined ? [] : [pick.strategy, ...(recommendation.tiedWith ?? [])];
    answers.push({
      need,
      strategy: pick?.strategy,
      tied,
      evidence:
        pick === undefined
          ? summaries.some((s) => s.values["durability.lost"] !== undefined)
            ? "no strategy qualified"
            : "not measured (no faults in this scenario)"
          : `${formatValue(pick.values["throughput.opsPerSec"], "ops/s")}, lost ${formatValue(pick.values["durability.lost"], "count")} in ${formatValue(pick.kills, "count")} faults, window ${formatValue(pick.values["durability.lossWindowMs"], "ms")}`,
      note: tied.length > 1 ? `tie on throughput among the qualifying strategies: ${tied.join(", ")}` : "",
    });
  }
  answers.push(answerRanked(analysis, "Fastest restart", "recovery.readyMs", "ms"));
  answers.push(answerRanked(analysis, "Cheapest rewrite", "rewrite.durationMs", "ms"));
  return answers;
}

/** Strategy with the best value of each metric id (for highlighting table cells). */
export function findBestPerMetric(
  summaries: readonly StrategySummary[],
  metricIds: ReadonlyArray<[string, "higher" | "lower"]>,
): Record<string, string | undefined> {
  return Object.fromEntries(metricIds.map(([id, better]) => [id, pickBest(summaries, id, better)?.strategy]));
}
