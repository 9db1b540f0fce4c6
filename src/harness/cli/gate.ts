// `persistlab gate <results.json> [--baseline old.json] [--max-regression 10%]`: thresholds + baseline check for CI.
// Exit codes (docs/ci.md): 0 pass, 99 threshold failed, 98 regression, 97 bad input.
import type { Argv, CommandModule } from "yargs";
import { gate } from "../api/gate.ts";
import { writeStepSummary } from "../report/markdown.ts";
import { readResults } from "../report/read-results.ts";
import { HarnessError } from "../shared/errors.ts";

/** Arguments of `gate`. */
interface GateArgs {
  results: string;
  baseline?: string | undefined;
  "max-regression": string;
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
    const verdict = gate(args.results, { baseline: args.baseline, maxRegression: args["max-regression"] });
    const results = readResults(args.results);
    const lines = verdict.lines;
    process.stdout.write(`${lines.join("\n")}\n`);
    writeStepSummary(`## persistlab gate: ${results.scenario.name}\n\n${lines.map((l) => `- ${l}`).join("\n")}\n`);
    if (!verdict.passed) throw new HarnessError(`gate failed (exit ${verdict.exitCode}): see the FAIL lines above`, { exitCode: verdict.exitCode });
  },
};
