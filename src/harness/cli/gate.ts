// `persistlab gate <results.json> [--baseline old.json] [--max-regression 10%] [--json]`: thresholds + baseline check for CI.
// Exit codes (docs/cli.md): 0 pass, 5 failed runs, 94 baseline of another scenario/engine, 95 nothing to judge,
// 97 bad input, 98 regression, 99 threshold failed.
import type { Argv, CommandModule } from "yargs";
import { findEngineMismatch, findScenarioMismatch } from "../gate/comparable.ts";
import { evaluateGate, parseRegressionLimit, type GateResult } from "../gate/evaluate-gate.ts";
import { GATE_EXIT_CODES } from "../gate/exit-codes.ts";
import { writeStepSummary } from "../report/markdown.ts";
import { readResults } from "../report/read-results.ts";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { appendAll } from "../shared/bulk-arrays.ts";
import { withHelpEpilogue, type Example } from "./help.ts";

/** Arguments of `gate`. */
interface GateArgs {
  results: string;
  baseline?: string | undefined;
  "max-regression": string;
  json: boolean;
}

// The verdict line's label for an exit code.
function describeVerdict(result: GateResult): string {
  switch (result.exitCode) {
    case GATE_EXIT_CODES.PASS: return "gate: PASS";
    case GATE_EXIT_CODES.RUN_FAILED: return `gate: FAIL (${result.failedRuns.length} run(s) did not finish ok)`;
    case GATE_EXIT_CODES.THRESHOLDS_FAILED: return "gate: FAIL (thresholds)";
    case GATE_EXIT_CODES.REGRESSION: return "gate: FAIL (regression against the baseline)";
    case GATE_EXIT_CODES.NOTHING_TO_JUDGE: return `gate: FAIL (nothing to judge: ${result.nothingToJudge ?? ""})`;
    default: return "gate: BAD INPUT (a threshold names an unknown metric)";
  }
}

// The gate's findings as lines (text and markdown share them).
function renderGateLines(result: GateResult): string[] {
  const lines = result.failedRuns.map((run) => `FAIL run ${run.id}: ${run.status}${run.error === undefined ? "" : `, ${run.error}`}`);
  appendAll(lines, result.checks.map((c) => `${c.status === "pass" ? "ok  " : c.status === "fail" ? "FAIL" : "BAD "} ${c.message}`));
  appendAll(lines, result.regressions.map((r) => `FAIL ${r.message}`));
  lines.push(`${describeVerdict(result)}: ${result.checks.filter((c) => c.status === "pass").length}/${result.checks.length} thresholds passed, ${result.regressions.length} regression(s) in ${result.compared.length} compared figure(s)`);
  return lines;
}

// The machine-readable form of the gate's findings (--json).
function renderGateJson(result: GateResult, args: GateArgs): string {
  return JSON.stringify({
    results: args.results, baseline: args.baseline ?? null, pass: result.exitCode === GATE_EXIT_CODES.PASS, exitCode: result.exitCode,
    failedRuns: result.failedRuns.map((run) => ({ id: run.id, strategy: run.strategy, status: run.status, error: run.error ?? null })),
    thresholds: result.checks.map((c) => ({ key: c.key, threshold: c.threshold, strategy: c.strategy, status: c.status, value: c.value ?? null, unit: c.unit, message: c.message })),
    regressions: result.regressions.map((r) => ({ strategy: r.strategy, metric: r.metricId, baseline: r.baseline, value: r.value, worsening: Number.isFinite(r.worsening) ? r.worsening : null, message: r.message })),
    comparedFigures: result.compared.length,
    nothingToJudge: result.nothingToJudge ?? null,
  }, null, 2);
}

/** Examples shown by `gate --help`. */
export const GATE_EXAMPLES: readonly Example[] = [
  ["persistlab gate results.json", "the scenario's thresholds only"],
  ["persistlab gate results.json --baseline main.json", "thresholds and regressions (10 % allowed)"],
  ["persistlab gate results.json --baseline main.json --max-regression 15%", "allow 15 % worse"],
  ["persistlab gate results.json --json", "machine-readable findings on stdout"],
];

/** The `gate` command module. */
export const gateCommand: CommandModule<object, GateArgs> = {
  command: "gate <results>",
  describe: "CI gate: check the scenario's thresholds and the change against a baseline; exit non-zero on failure",
  builder: (yargs: Argv) => withHelpEpilogue(yargs
    .positional("results", { type: "string", demandOption: true, describe: "results.json to check" })
    .option("baseline", { type: "string", describe: "results.json of the baseline (same scenario and engine, e.g. from the main branch)" })
    .option("max-regression", { type: "string", default: "10%", describe: "allowed worsening of a gated metric against the baseline" })
    .option("json", { type: "boolean", default: false, describe: "print the findings as JSON on stdout (same exit code)" }), GATE_EXAMPLES) as unknown as Argv<GateArgs>,
  handler: (args) => {
    let maxRegression: number;
    try {
      maxRegression = parseRegressionLimit(args["max-regression"]);
    } catch (error) {
      throw new HarnessError((error as Error).message, { exitCode: EXIT_CODES.USAGE });
    }
    const results = readResults(args.results);
    const baseline = args.baseline === undefined ? undefined : readResults(args.baseline);
    if (baseline !== undefined && args.baseline !== undefined) {
      const labels = { a: `the baseline ${args.baseline}`, b: `the results ${args.results}` };
      const mismatch = findScenarioMismatch(baseline, results, labels) ?? findEngineMismatch(baseline, results, labels);
      if (mismatch !== undefined) {
        throw new HarnessError(`gate: cannot judge against this baseline: ${mismatch.message}`, {
          exitCode: GATE_EXIT_CODES.NOT_COMPARABLE,
          hint: `pass a baseline of the same ${mismatch.field} (\`persistlab compare --force A B\` shows the figures side by side anyway)`,
        });
      }
    }
    const result = evaluateGate(results, { baseline, maxRegression });
    const lines = renderGateLines(result);
    process.stdout.write(args.json ? `${renderGateJson(result, args)}\n` : `${lines.join("\n")}\n`);
    writeStepSummary(`## persistlab gate: ${results.scenario.name}\n\n${lines.map((l) => `- ${l}`).join("\n")}\n`);
    if (result.exitCode === GATE_EXIT_CODES.NOTHING_TO_JUDGE) {
      throw new HarnessError(`gate: nothing to judge: ${result.nothingToJudge ?? ""}`, {
        exitCode: result.exitCode, hint: "add thresholds to the scenario (docs/ci.md) or pass --baseline <results.json of the same scenario and engine>",
      });
    }
    if (result.exitCode === GATE_EXIT_CODES.RUN_FAILED) {
      throw new HarnessError(`gate failed (exit ${result.exitCode}): ${result.failedRuns.length} of ${results.runs.length} run(s) did not finish ok, so their figures are missing`, {
        exitCode: result.exitCode, hint: "fix the failure named on the FAIL run lines and run the scenario again",
      });
    }
    if (result.exitCode !== GATE_EXIT_CODES.PASS) throw new HarnessError(`gate failed (exit ${result.exitCode}): see the FAIL lines above`, { exitCode: result.exitCode });
  },
};
