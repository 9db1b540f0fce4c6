// `persistlab gate <results.json> [--baseline old.json] [--max-regression 10%] [--json]`: thresholds + baseline check for CI.
// Exit codes (docs/cli.md): 0 pass, 5 failed runs, 94 baseline of another scenario/engine, 95 nothing to judge,
// 97 bad input, 98 regression, 99 threshold failed.
import type { Argv, CommandModule } from "yargs";
import { gate } from "../api/gate.ts";
import type { GateResult } from "../gate/evaluate-gate.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { writeStepSummary } from "../report/markdown.ts";
import { readResults } from "../report/read-results.ts";
import { HarnessError } from "../shared/errors.ts";
import { withHelpEpilogue, type Example } from "./help.ts";

/** Arguments of `gate`. */
interface GateArgs {
  results: string;
  baseline?: string | undefined;
  "max-regression": string;
  json: boolean;
}

// The machine-readable form of the gate's findings (--json).
function renderGateJson(result: GateResult, args: GateArgs): string {
  return JSON.stringify(
    {
      results: args.results,
      baseline: args.baseline ?? null,
      pass: result.exitCode === EXIT_CODES.OK,
      exitCode: result.exitCode,
      failedRuns: result.failedRuns.map((run) => ({
        id: run.id,
        strategy: run.strategy,
        status: run.status,
        error: run.error ?? null,
      })),
      thresholds: result.checks.map((c) => ({
        key: c.key,
        threshold: c.threshold,
        strategy: c.strategy,
        status: c.status,
        value: c.value ?? null,
        unit: c.unit,
        message: c.message,
      })),
      regressions: result.regressions.map((r) => ({
        strategy: r.strategy,
        metric: r.metricId,
        baseline: r.baseline,
        value: r.value,
        worsening: Number.isFinite(r.worsening) ? r.worsening : null,
        message: r.message,
      })),
      comparedFigures: result.compared.length,
      nothingToJudge: result.nothingToJudge ?? null,
    },
    null,
    2,
  );
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
  builder: (yargs: Argv) =>
    withHelpEpilogue(
      yargs
        .positional("results", { type: "string", demandOption: true, describe: "results.json to check" })
        .option("baseline", {
          type: "string",
          describe: "results.json of the baseline (same scenario and engine, e.g. from the main branch)",
        })
        .option("max-regression", {
          type: "string",
          default: "10%",
          describe: "allowed worsening of a gated metric against the baseline",
        })
        .option("json", {
          type: "boolean",
          default: false,
          describe: "print the findings as JSON on stdout (same exit code)",
        }),
      GATE_EXAMPLES,
    ) as unknown as Argv<GateArgs>,
  handler: (args) => {
    const verdict = gate(args.results, { baseline: args.baseline, maxRegression: args["max-regression"] });
    const results = readResults(args.results);
    const lines = verdict.lines;
    process.stdout.write(args.json ? `${renderGateJson(verdict, args)}\n` : `${lines.join("\n")}\n`);
    writeStepSummary(`## persistlab gate: ${results.scenario.name}\n\n${lines.map((l) => `- ${l}`).join("\n")}\n`);
    if (verdict.exitCode === EXIT_CODES.NOTHING_TO_JUDGE) {
      throw new HarnessError(`gate: nothing to judge: ${verdict.nothingToJudge ?? ""}`, {
        exitCode: verdict.exitCode,
        hint: "add thresholds to the scenario (docs/ci.md) or pass --baseline <results.json of the same scenario and engine>",
      });
    }
    if (verdict.exitCode === EXIT_CODES.RUN_FAILED) {
      throw new HarnessError(
        `gate failed (exit ${verdict.exitCode}): ${verdict.failedRuns.length} of ${results.runs.length} run(s) did not finish ok, so their figures are missing`,
        {
          exitCode: verdict.exitCode,
          hint: "fix the failure named on the FAIL run lines and run the scenario again",
        },
      );
    }
    if (verdict.exitCode !== EXIT_CODES.OK)
      throw new HarnessError(`gate failed (exit ${verdict.exitCode}): see the FAIL lines above`, {
        exitCode: verdict.exitCode,
      });
  },
};
