// API gate(): the scenario's thresholds plus the change against a baseline, as `persistlab gate` runs it.
import { findEngineMismatch, findScenarioMismatch } from "../gate/comparable.ts";
import { evaluateGate, type GateResult } from "../gate/evaluate-gate.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { renderGateLines } from "../gate/render-gate.ts";
import type { Results } from "../results/schema.ts";
import { HarnessError } from "../shared/errors.ts";
import { toFraction, toResults, type ResultsInput } from "./inputs.ts";

/** Options of gate(). */
export interface GateInputOptions {
  /** Baseline results of the same scenario and engine (object or results.json path); without it only the thresholds are checked. */
  baseline?: ResultsInput | undefined;
  /** Allowed worsening against the baseline: a fraction (0.1) or text ("10%"); default 10 %. */
  maxRegression?: number | string | undefined;
}

/** The gate's findings, its exit code (0 pass, 5 failed runs, 95 nothing to judge, 97 bad input, 98 regression, 99 thresholds) and printable lines. */
export interface GateVerdict extends GateResult {
  passed: boolean;
  /** What `persistlab gate` prints: failed runs, one line per check and regression, then the verdict. */
  lines: string[];
}

// Refuses a baseline of another scenario or engine (HarnessError, exit 94): its figures would not mean a change.
function checkComparable(baseline: Results, results: Results, labels: { a: string; b: string }): void {
  const mismatch = findScenarioMismatch(baseline, results, labels) ?? findEngineMismatch(baseline, results, labels);
  if (mismatch === undefined) return;
  throw new HarnessError(`gate: cannot judge against this baseline: ${mismatch.message}`, {
    exitCode: EXIT_CODES.NOT_COMPARABLE,
    hint: `pass a baseline of the same ${mismatch.field} (\`persistlab compare --force A B\` shows the figures side by side anyway)`,
  });
}

/** Checks results (object or results.json path) against their scenario's thresholds and an optional baseline. */
export function gate(results: ResultsInput, options: GateInputOptions = {}): GateVerdict {
  const maxRegression = toFraction(options.maxRegression ?? 0.1, "--max-regression");
  const candidate = toResults(results);
  const baseline = options.baseline === undefined ? undefined : toResults(options.baseline);
  if (baseline !== undefined) {
    const label = (input: ResultsInput | undefined, what: string): string =>
      typeof input === "string" ? `${what} ${input}` : what;
    checkComparable(baseline, candidate, {
      a: label(options.baseline, "the baseline"),
      b: label(results, "the results"),
    });
  }
  const result = evaluateGate(candidate, { baseline, maxRegression });
  return { ...result, passed: result.exitCode === EXIT_CODES.OK, lines: renderGateLines(result) };
}
