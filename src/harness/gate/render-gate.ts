// The gate's findings as text lines (failed runs, one line per threshold and regression, then the verdict): what
// `persistlab gate` prints and appends to the step summary, and what the API's gate() returns as `lines`.
import type { GateResult } from "./evaluate-gate.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";

// The verdict line's label for an exit code.
function describeVerdict(result: GateResult): string {
  switch (result.exitCode) {
    case EXIT_CODES.OK:
      return "gate: PASS";
    case EXIT_CODES.RUN_FAILED:
      return `gate: FAIL (${result.failedRuns.length} run(s) did not finish ok)`;
    case EXIT_CODES.THRESHOLDS_FAILED:
      return "gate: FAIL (thresholds)";
    case EXIT_CODES.REGRESSION:
      return "gate: FAIL (regression against the baseline)";
    case EXIT_CODES.NOTHING_TO_JUDGE:
      return `gate: FAIL (nothing to judge: ${result.nothingToJudge ?? ""})`;
    default:
      return "gate: BAD INPUT (a threshold names an unknown metric)";
  }
}

/** Failed runs, one line per check and regression, then the verdict line. */
export function renderGateLines(result: GateResult): string[] {
  const lines = result.failedRuns.map(
    (run) => `FAIL run ${run.id}: ${run.status}${run.error === undefined ? "" : `, ${run.error}`}`,
  );
  lines.push(
    ...result.checks.map((c) => `${c.status === "pass" ? "ok  " : c.status === "fail" ? "FAIL" : "BAD "} ${c.message}`),
  );
  lines.push(...result.regressions.map((r) => `FAIL ${r.message}`));
  lines.push(
    `${describeVerdict(result)}: ${result.checks.filter((c) => c.status === "pass").length}/${result.checks.length} thresholds passed, ${result.regressions.length} regression(s) in ${result.compared.length} compared figure(s)`,
  );
  return lines;
}
