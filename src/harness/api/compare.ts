// API compare(): baseline A against candidate B per strategy and metric (bootstrap CI + Mann-Whitney verdicts).
import { compareResults, type CompareOptions, type Comparison } from "../compare/compare-results.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { HarnessError } from "../shared/errors.ts";
import { toFraction, toResults, type ResultsInput } from "./inputs.ts";

/** Options of compare(): CompareOptions, with minEffect also as text ("2%"). */
export interface CompareInputOptions extends Omit<CompareOptions, "minEffect"> {
  minEffect?: number | string | undefined;
}

/** Compares A (baseline) with B (candidate); throws HarnessError (exit 97) when they share no strategy. */
export function compare(a: ResultsInput, b: ResultsInput, options: CompareInputOptions = {}): Comparison {
  const { minEffect, ...rest } = options;
  const comparison = compareResults(toResults(a), toResults(b), {
    ...rest,
    minEffect: toFraction(minEffect ?? 0.02, "--min-effect"),
  });
  if (comparison.strategies.length === 0)
    throw new HarnessError("A and B have no strategy in common: nothing to compare", {
      exitCode: EXIT_CODES.BAD_RESULTS,
    });
  return comparison;
}
