// `persistlab list [--json]`: the ready-made scenarios with their descriptions and how long each is expected
// to take (an estimate computed from the scenario; JSON: one object per scenario).
import { join } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { estimateScenarioDuration, formatEstimate } from "../run/estimate-duration.ts";
import { HARNESS_EXTENSIONS } from "../api/extensions.ts";
import { loadScenarioFile } from "../scenario/load.ts";
import { maxOf } from "../shared/bulk-arrays.ts";
import { getPackageRoot } from "../shared/runtime.ts";
import { listReadyMadeScenarios } from "./scenario-path.ts";
import { withHelpEpilogue, type Example } from "./help.ts";

/** Arguments of `list`. */
interface ListArgs {
  json: boolean;
}

/** Examples shown by `list --help`. */
export const LIST_EXAMPLES: readonly Example[] = [
  ["persistlab list", "names, descriptions, files and expected durations"],
  ["persistlab list --json", "the same as JSON"],
];

// Expected duration on the bundled engine, full and --quick (ms); undefined when the file does not load.
function estimateDurations(file: string): { estimatedMs: number; quickEstimatedMs: number } | undefined {
  try {
    return {
      estimatedMs: estimateScenarioDuration(loadScenarioFile(file, { extensions: HARNESS_EXTENSIONS }), "bundled")
        .totalMs,
      quickEstimatedMs: estimateScenarioDuration(
        loadScenarioFile(file, { quick: true, extensions: HARNESS_EXTENSIONS }),
        "bundled",
      ).totalMs,
    };
  } catch {
    return undefined;
  }
}

/** The `list` command module. */
export const listCommand: CommandModule<object, ListArgs> = {
  command: "list",
  describe: "List the ready-made scenarios and how long each takes",
  builder: (yargs: Argv) =>
    withHelpEpilogue(
      yargs.option("json", {
        type: "boolean",
        default: false,
        describe: "print a JSON array of {name, description, file, estimatedMs, quickEstimatedMs} on stdout",
      }),
      LIST_EXAMPLES,
    ) as unknown as Argv<ListArgs>,
  handler: (args) => {
    const scenarios = listReadyMadeScenarios().map((s) => ({
      ...s,
      ...estimateDurations(join(getPackageRoot(), s.file)),
    }));
    if (args.json) {
      process.stdout.write(`${JSON.stringify(scenarios, null, 2)}\n`);
      return;
    }
    const width = maxOf(
      scenarios.map((s) => s.name.length),
      0,
    );
    for (const s of scenarios) {
      const duration =
        s.estimatedMs === undefined || s.quickEstimatedMs === undefined
          ? ""
          : `; takes ${formatEstimate(s.estimatedMs)}, --quick ${formatEstimate(s.quickEstimatedMs)} (estimate, bundled engine)`;
      process.stdout.write(`${s.name.padEnd(width)}  ${s.description}\n${" ".repeat(width)}  (${s.file}${duration})\n`);
    }
  },
};
