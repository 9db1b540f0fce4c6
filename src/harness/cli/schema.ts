// `persistlab schema`: print the scenario format as JSON Schema (generated from the zod schema the loader uses).
import type { CommandModule } from "yargs";
import { HARNESS_EXTENSIONS } from "../api/extensions.ts";
import { renderScenarioJsonSchema } from "../scenario/json-schema.ts";

/** The `schema` command module. */
export const schemaCommand: CommandModule = {
  command: "schema",
  describe: 'Print the JSON Schema of scenario files (for editors: "$schema" in a scenario)',
  builder: (yargs) =>
    yargs
      .example("$0 schema > scenario.schema.json", "save it")
      .example("$0 schema | ajv validate -s /dev/stdin -d my-scenario.json", "validate outside persistlab"),
  handler: () => {
    process.stdout.write(renderScenarioJsonSchema(HARNESS_EXTENSIONS));
  },
};
