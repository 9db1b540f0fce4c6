// The gate's findings as text lines (one per threshold and regression, then the verdict): what `persistlab gate`
// prints and appends to the step summary, and what the API's gate() returns as `lines`.
import type { GateResult } from "./evaluate-gate.ts";
import { GATE_EXIT_CODES } from "./exit-codes.ts";

/** One line per check and regression, then the verdict line. */
export function renderGateLines(result: GateResult): string[] {
  const lines = result.checks.map((c) => `${c.status === "pass" ? "ok  " : c.status === "fail" ? "FAIL" : "BAD "} ${c.message}`);
  lines.push(...result.regressions.map((r) => `FAIL ${r.message}`));
  const verdict = result.exitCode === GATE_EXIT_CODES.PASS ? "gate: PASS" : result.exitCode === GATE_EXIT_CODES.THRESHOLDS_FAILED ? "gate: FAIL (thresholds)"
    : result.exitCode === GATE_EXIT_CODES.REGRESSION ? "gate: FAIL (regression against the baseline)" : "gate: BAD INPUT (a threshold names an unknown metric)";
  lines.push(`${verdict}: ${result.checks.filter((c) => c.status === "pass").length}/${result.checks.length} thresholds passed, ${result.regressions.length} regression(s) in ${result.compared.length} compared figure(s)`);
  return lines;
}
