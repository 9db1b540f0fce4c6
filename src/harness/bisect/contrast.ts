// Reads one metric of one strategy out of compare's comparison of two sides' results: the row compare itself
// would print (compare/compare-results.ts), with the same rule for its verdict. Pure.
import { compareResults, type CompareRow } from "../compare/compare-results.ts";
import type { Results } from "../results/schema.ts";
import type { MetricChoice } from "./metric-choice.ts";

/** The statistics options bisect passes on to compare. */
export interface StatsOptions {
  minEffect: number;
  alpha: number;
}

/** compare's row for the chosen metric, baseline a and candidate b; undefined when either side did not measure it. */
export function contrastMetric(
  a: Results,
  b: Results,
  choice: MetricChoice,
  stats: StatsOptions,
): CompareRow | undefined {
  return compareResults(a, b, { minEffect: stats.minEffect, alpha: stats.alpha }).rows.find(
    (row) => row.strategy === choice.strategy && row.metric.id === choice.metric.id,
  );
}
