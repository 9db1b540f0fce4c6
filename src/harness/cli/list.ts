// `persistlab list`: the ready-made scenarios with their descriptions and how long each is expected to take.
import { join } from "node:path";
import type { CommandModule } from "yargs";
import { estimateScenarioDuration, formatEstimate } from "../run/estimate-duration.ts";
import { loadScenarioFile } from "../scenario/load.ts";
import { maxOf } from "../shared/bulk-arrays.ts";
import { getPackageRoot } from "../shared/runtime.ts";
import { listReadyMadeScenarios } from "./scenario-path.ts";

// "about 25 min, --quick about 2 min (estimate, bundled engine)", or "" when the file does not load.
function describeDuration(file: string): string {
  try {
    const full = estimateScenarioDuration(loadScenarioFile(file), "bundled").totalMs;
    const quick = estimateScenarioDuration(loadScenarioFile(file, { quick: true }), "bundled").totalMs;
    return `takes ${formatEstimate(full)}, --quick ${formatEstimate(quick)} (estimate, bundled engine)`;
  } catch {
    return "";
  }
}

/** The `list` command module. */
export const listCommand: CommandModule = {
  command: "list",
  describe: "List the ready-made scenarios and how long each takes",
  builder: (yargs) => yargs.example("$0 list", "show names, descriptions and expected durations").example("$0 run <name>", "run one by name"),
  handler: () => {
    const scenarios = listReadyMadeScenarios();
    const width = maxOf(scenarios.map((s) => s.name.length), 0);
    for (const s of scenarios) {
      const duration = describeDuration(join(getPackageRoot(), s.file));
      process.stdout.write(`${s.name.padEnd(width)}  ${s.description}\n${" ".repeat(width)}  (${s.file}${duration === "" ? "" : `; ${duration}`})\n`);
    }
  },
};
