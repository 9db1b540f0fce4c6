// API gate(): the scenario's thresholds plus the change against a baseline, as `persistlab gate` runs it.
import { evaluateGate, type GateResult } from "../gate/evaluate-gate.ts";
import { GATE_EXIT_CODES } from "../gate/exit-codes.ts";
import { renderGateLines } from "../gate/render-gate.ts";
import { toFraction, toResults, type ResultsInput } from "./inputs.ts";

/** Options of gate(). */
export interface GateInputOptions {
  /** Baseline results (object or results.json path); without it only the thresholds are checked. */
  baseline?: ResultsInput | undefined;
  /** Allowed worsening against the baseline: a fraction (0.1) or text ("10%"); default 10 %. */
  maxRegression?: number | string | undefined;
}

/** The gate's findings, its exit code (0 pass, 97 bad input, 98 regression, 99 thresholds) and printable lines. */
export interface GateVerdict extends GateResult {
  passed: boolean;
  /** What `persistlab gate` prints: one line per check and regression, then the verdict. */
  lines: string[];
}

/** Checks results (object or results.json path) against their scenario's thresholds and an optional baseline. */
export function gate(results: ResultsInput, options: GateInputOptions = {}): GateVerdict {
  const maxRegression = toFraction(options.maxRegression ?? 0.1, "--max-regression");
  const candidate = toResults(results);
  const baseline = options.baseline === undefined ? undefined : toResults(options.baseline);
  const result = evaluateGate(candidate, { baseline, maxRegression });
  return { ...result, passed: result.exitCode === GATE_EXIT_CODES.PASS, lines: renderGateLines(result) };
}
