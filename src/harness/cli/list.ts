// `persistlab list [--json]`: the ready-made scenarios with their descriptions (JSON: one object per scenario).
import type { Argv, CommandModule } from "yargs";
import { listReadyMadeScenarios } from "./scenario-path.ts";
import { withHelpEpilogue, type Example } from "./help.ts";

/** Arguments of `list`. */
interface ListArgs {
  json: boolean;
}

/** Examples shown by `list --help`. */
export const LIST_EXAMPLES: readonly Example[] = [
  ["persistlab list", "names, descriptions and files"],
  ["persistlab list --json", "the same as JSON"],
];

/** The `list` command module. */
export const listCommand: CommandModule<object, ListArgs> = {
  command: "list",
  describe: "List the ready-made scenarios",
  builder: (yargs: Argv) => withHelpEpilogue(yargs
    .option("json", { type: "boolean", default: false, describe: "print a JSON array of {name, description, file} on stdout" }), LIST_EXAMPLES) as unknown as Argv<ListArgs>,
  handler: (args) => {
    const scenarios = listReadyMadeScenarios();
    if (args.json) {
      process.stdout.write(`${JSON.stringify(scenarios, null, 2)}\n`);
      return;
    }
    const width = Math.max(0, ...scenarios.map((s) => s.name.length));
    for (const s of scenarios) process.stdout.write(`${s.name.padEnd(width)}  ${s.description}\n${" ".repeat(width)}  (${s.file})\n`);
  },
};
