// CPU steal as results.json records it, per run: which runs measured it, the highest, and the warning a
// comparison or gate prints for a side whose runs the machine depressed.
import { maxOf } from "../shared/bulk-arrays.ts";
import { NOISY_STEAL_PCT } from "../stats/cpu-steal.ts";
import type { Results } from "./schema.ts";

/** The CPU steal of every run of `results` that measured it (of one strategy when given), in run order. */
export function measuredRunSteals(results: Results, strategy?: string): Array<{ id: string; steal: number }> {
  return results.runs.flatMap((run) =>
    (strategy === undefined || run.strategy === strategy) && run.metrics.machine?.measured === true
      ? [{ id: run.id, steal: run.metrics.machine.cpuStealPct }]
      : [],
  );
}

/** The highest CPU steal among the runs of `results` (of one strategy when given); null when no run measured it. */
export function highestRunSteal(results: Results, strategy?: string): number | null {
  const figures = measuredRunSteals(results, strategy).map((entry) => entry.steal);
  return figures.length === 0 ? null : maxOf(figures);
}

/** "<label>'s runs saw up to N % CPU steal" for each side whose highest steal reached NOISY_STEAL_PCT. */
export function describeNoisySides(sides: ReadonlyArray<readonly [label: string, steal: number | null]>): string[] {
  return sides.flatMap(([label, steal]) =>
    steal !== null && steal >= NOISY_STEAL_PCT ? [`${label}'s runs saw up to ${steal.toFixed(1)} % CPU steal`] : [],
  );
}
