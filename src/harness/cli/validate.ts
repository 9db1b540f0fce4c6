// `persistlab validate <file...>`: check scenario files strictly, listing every issue with its fix.
import type { Argv, CommandModule } from "yargs";
import { loadScenario } from "../api/load-scenario.ts";
import { createPlan } from "../scenario/plan.ts";
import { HarnessError, ScenarioError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { resolveScenarioPath } from "./scenario-path.ts";

/** Arguments of `validate`. */
interface ValidateArgs {
  files: string[];
}

/** The `validate` command module. */
export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: "validate <files..>",
  describe: "Validate scenario files (unknown keys and bad values are errors naming the path and the fix)",
  builder: (yargs: Argv) => yargs
    .positional("files", { type: "string", array: true, demandOption: true, describe: "scenario JSON files or ready-made names" })
    .example("$0 validate scenarios/*.json", "check every ready-made scenario")
    .example("$0 validate my-scenario.json", "check one file") as unknown as Argv<ValidateArgs>,
  handler: (args) => {
    const errors: ScenarioError[] = [];
    for (const input of args.files) {
      const file = resolveScenarioPath(input);
      try {
        const scenario = loadScenario(file);
        const runs = createPlan(scenario).length;
        process.stdout.write(`ok  ${file}: ${scenario.name} — ${scenario.strategies.length} strateg${scenario.strategies.length === 1 ? "y" : "ies"} × ${scenario.repetitions} repetition(s) = ${runs} run(s), ${scenario.phases.length} phase(s)\n`);
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new HarnessError(errors.map((e) => e.message).join("\n"), { exitCode: EXIT_CODES.INVALID_SCENARIO });
  },
};
