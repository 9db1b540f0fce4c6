// "Which strategy for which need": the measured answer per need, and the best cell per column of the table. Pure.
import type { Results } from "../results/schema.ts";
import { recommendStrategy } from "../recommend/recommend-strategy.ts";
import { formatValue } from "./format.ts";
import { summarizeStrategies, type StrategySummary } from "./strategy-summary.ts";

/** One need and the strategy that serves it best, with the deciding figure. */
export interface NeedAnswer {
  need: string;
  strategy: string | undefined;
  evidence: string;
}

// The strategy with the best value of a metric (undefined values never win).
function pickBest(summaries: readonly StrategySummary[], metricId: string, better: "higher" | "lower"): StrategySummary | undefined {
  const measured = summaries.filter((s) => s.values[metricId] !== undefined);
  return measured.sort((a, b) => (better === "higher" ? 1 : -1) * ((b.values[metricId] ?? 0) - (a.values[metricId] ?? 0)))[0];
}

/** Answers the usual needs from the measured figures. */
export function answerNeeds(results: Results): NeedAnswer[] {
  const summaries = summarizeStrategies(results);
  const answers: NeedAnswer[] = [];
  const add = (need: string, metricId: string, better: "higher" | "lower", unit: string): void => {
    const best = pickBest(summaries, metricId, better);
    answers.push({ need, strategy: best?.strategy, evidence: best === undefined ? "not measured" : formatValue(best.values[metricId], unit) });
  };
  add("Most throughput", "throughput.opsPerSec", "higher", "ops/s");
  add("Lowest tail latency (p99)", "latency.p99Ms", "lower", "ms");
  for (const [need, maxLossMs] of [["No acknowledged write lost", 0], ["Lose at most 1 s of writes", 1000]] as const) {
    const recommendation = recommendStrategy(results, { maxLossMs });
    const pick = recommendation.pick?.summary;
    answers.push({
      need, strategy: pick?.strategy,
      evidence: pick === undefined
        ? (summaries.some((s) => s.values["durability.lost"] !== undefined) ? "no strategy qualified" : "not measured (no faults in this scenario)")
        : `${formatValue(pick.values["throughput.opsPerSec"], "ops/s")}, lost ${formatValue(pick.values["durability.lost"], "count")}, window ${formatValue(pick.values["durability.lossWindowMs"], "ms")}`,
    });
  }
  add("Fastest restart", "recovery.readyMs", "lower", "ms");
  add("Cheapest rewrite", "rewrite.durationMs", "lower", "ms");
  return answers;
}

/** Strategy with the best value of each metric id (for highlighting table cells). */
export function findBestPerMetric(summaries: readonly StrategySummary[], metricIds: ReadonlyArray<[string, "higher" | "lower"]>): Record<string, string | undefined> {
  return Object.fromEntries(metricIds.map(([id, better]) => [id, pickBest(summaries, id, better)?.strategy]));
}
