// `persistlab gate <results.json> [--baseline old.json] [--max-regression 10%]`: thresholds + baseline check for CI.
// Exit codes (docs/ci.md): 0 pass, 99 threshold failed, 98 regression, 97 bad input.
import type { Argv, CommandModule } from "yargs";
import { evaluateGate, parseRegressionLimit, type GateResult } from "../gate/evaluate-gate.ts";
import { GATE_EXIT_CODES } from "../gate/exit-codes.ts";
import { writeStepSummary } from "../report/markdown.ts";
import { readResults } from "../report/read-results.ts";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { appendAll } from "../shared/bulk-arrays.ts";

/** Arguments of `gate`. */
interface GateArgs {
  results: string;
  baseline?: string | undefined;
  "max-regression": string;
}

// The gate's findings as lines (text and markdown share them).
function renderGateLines(result: GateResult): string[] {
  const lines = result.checks.map((c) => `${c.status === "pass" ? "ok  " : c.status === "fail" ? "FAIL" : "BAD "} ${c.message}`);
  appendAll(lines, result.regressions.map((r) => `FAIL ${r.message}`));
  const verdict = result.exitCode === GATE_EXIT_CODES.PASS ? "gate: PASS" : result.exitCode === GATE_EXIT_CODES.THRESHOLDS_FAILED ? "gate: FAIL (thresholds)"
    : result.exitCode === GATE_EXIT_CODES.REGRESSION ? "gate: FAIL (regression against the baseline)" : "gate: BAD INPUT (a threshold names an unknown metric)";
  lines.push(`${verdict}: ${result.checks.filter((c) => c.status === "pass").length}/${result.checks.length} thresholds passed, ${result.regressions.length} regression(s) in ${result.compared.length} compared figure(s)`);
  return lines;
}

/** The `gate` command module. */
export const gateCommand: CommandModule<object, GateArgs> = {
  command: "gate <results>",
  describe: "CI gate: check the scenario's thresholds and the change against a baseline; exit non-zero on failure",
  builder: (yargs: Argv) => yargs
    .positional("results", { type: "string", demandOption: true, describe: "results.json to check" })
    .option("baseline", { type: "string", describe: "results.json of the baseline (e.g. from the main branch)" })
    .option("max-regression", { type: "string", default: "10%", describe: "allowed worsening of a gated metric against the baseline" })
    .example("$0 gate results.json", "thresholds only")
    .example("$0 gate results.json --baseline main.json --max-regression 15%", "thresholds and regressions") as unknown as Argv<GateArgs>,
  handler: (args) => {
    let maxRegression: number;
    try {
      maxRegression = parseRegressionLimit(args["max-regression"]);
    } catch (error) {
      throw new HarnessError((error as Error).message, { exitCode: EXIT_CODES.USAGE });
    }
    const results = readResults(args.results);
    const baseline = args.baseline === undefined ? undefined : readResults(args.baseline);
    const result = evaluateGate(results, { baseline, maxRegression });
    const lines = renderGateLines(result);
    process.stdout.write(`${lines.join("\n")}\n`);
    writeStepSummary(`## persistlab gate: ${results.scenario.name}\n\n${lines.map((l) => `- ${l}`).join("\n")}\n`);
    if (result.exitCode !== GATE_EXIT_CODES.PASS) throw new HarnessError(`gate failed (exit ${result.exitCode}): see the FAIL lines above`, { exitCode: result.exitCode });
  },
};
