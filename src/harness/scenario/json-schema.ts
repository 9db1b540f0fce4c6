// The scenario format as JSON Schema (draft 2020-12), generated from the one zod schema the loader uses
// (load.ts createScenarioSchema, extension keys included), for editors and validators outside persistlab.
import { z } from "zod";
import { createScenarioSchema } from "./load.ts";

/** Where the JSON Schema is published inside the package (npm: `persistlab/scenario.schema.json`). */
export const SCENARIO_SCHEMA_FILE = "schema/scenario.schema.json";

/**
 * The JSON Schema of scenario files, as written by users (defaults optional, durations as strings).
 * Import the module that registers an extension key (nemesis/index.ts) first, or that key is missing.
 */
export function createScenarioJsonSchema(): Record<string, unknown> {
  const body = z.toJSONSchema(createScenarioSchema(), { target: "draft-2020-12", io: "input", unrepresentable: "throw" });
  const { $schema, ...rest } = body;
  return {
    $schema,
    title: "persistlab scenario",
    description: "A persistlab scenario file. Generated from the zod schema by `persistlab schema`; do not edit.",
    ...rest,
  };
}

/** The JSON Schema as the text `persistlab schema` prints and the package ships (2-space JSON, trailing newline). */
export function renderScenarioJsonSchema(): string {
  return JSON.stringify(createScenarioJsonSchema(), null, 2) + "\n";
}
