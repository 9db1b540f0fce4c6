// `persistlab validate <file...> [--engine kind]`: check scenario files strictly, listing every issue with its fix;
// strategies' directives are checked with the bundled engine's own directive table (scenario/check-directives.ts).
import type { Argv, CommandModule } from "yargs";
import { loadScenario } from "../api/load-scenario.ts";
import { createPlan } from "../scenario/plan.ts";
import { HarnessError, ScenarioError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { resolveScenarioPath } from "./scenario-path.ts";
import type { EngineKind } from "../engines/types.ts";
import { checkStrategyDirectives } from "../scenario/check-directives.ts";
import { withHelpEpilogue, type Example } from "./help.ts";

/** Arguments of `validate`. */
interface ValidateArgs {
  files: string[];
  engine: EngineKind;
}

/** Examples shown by `validate --help`. */
export const VALIDATE_EXAMPLES: readonly Example[] = [
  ["persistlab validate scenarios/*.json", "check every ready-made scenario"],
  ["persistlab validate my-scenario.json", "check one file against the bundled engine's directives"],
  ["persistlab validate my-scenario.json --engine redis-server", "allow directives only redis-server knows"],
];

/** The `validate` command module. */
export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: "validate <files..>",
  describe: "Validate scenario files (unknown keys and bad values are errors naming the path and the fix)",
  builder: (yargs: Argv) =>
    withHelpEpilogue(
      yargs
        .positional("files", {
          type: "string",
          array: true,
          demandOption: true,
          describe: "scenario JSON files or ready-made names",
        })
        .option("engine", {
          choices: ["bundled", "redis-server", "attach"] as const,
          default: "bundled" as EngineKind,
          describe:
            "the engine the scenario will run on: directives only redis-server knows pass (with a warning) for redis-server and attach",
        }),
      VALIDATE_EXAMPLES,
    ) as unknown as Argv<ValidateArgs>,
  handler: (args) => {
    const errors: ScenarioError[] = [];
    for (const input of args.files) {
      const file = resolveScenarioPath(input);
      try {
        const scenario = loadScenario(file);
        const directives = checkStrategyDirectives(scenario, args.engine);
        for (const warning of directives.warnings) process.stderr.write(`warning: ${file}: ${warning}\n`);
        if (directives.issues.length > 0) throw new ScenarioError(directives.issues, file);
        const runs = createPlan(scenario).length;
        process.stdout.write(
          `ok  ${file}: ${scenario.name} — ${scenario.strategies.length} strateg${scenario.strategies.length === 1 ? "y" : "ies"} × ${scenario.repetitions} repetition(s) = ${runs} run(s), ${scenario.phases.length} phase(s)\n`,
        );
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1)
      throw new HarnessError(errors.map((e) => e.message).join("\n"), { exitCode: EXIT_CODES.INVALID_SCENARIO });
  },
};
