// `persistlab list`: the ready-made scenarios with their descriptions.
import type { CommandModule } from "yargs";
import { listReadyMadeScenarios } from "./scenario-path.ts";
import { maxOf } from "../shared/bulk-arrays.ts";

/** The `list` command module. */
export const listCommand: CommandModule = {
  command: "list",
  describe: "List the ready-made scenarios",
  builder: (yargs) => yargs.example("$0 list", "show names and descriptions").example("$0 run <name>", "run one by name"),
  handler: () => {
    const scenarios = listReadyMadeScenarios();
    const width = maxOf(scenarios.map((s) => s.name.length), 0);
    for (const s of scenarios) process.stdout.write(`${s.name.padEnd(width)}  ${s.description}\n${" ".repeat(width)}  (${s.file})\n`);
  },
};
