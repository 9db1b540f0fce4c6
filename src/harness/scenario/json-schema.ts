// The scenario format as JSON Schema (draft 2020-12), generated from the one zod schema the loader uses
// (load.ts createScenarioSchema, extension keys included), for editors and validators outside persistlab.
import { z } from "zod";
import type { ScenarioExtension } from "./extensions.ts";
import { createScenarioSchema } from "./load.ts";

/** Where the JSON Schema is published inside the package (npm: `persistlab/scenario.schema.json`). */
export const SCENARIO_SCHEMA_FILE = "schema/scenario.schema.json";

// JSON Schema patterns have no flags: a zod regex with /i would silently become stricter in the JSON Schema.
function refuseRegexFlags(context: { zodSchema: z.core.$ZodType }): void {
  const checks =
    (context.zodSchema._zod.def as { checks?: Array<{ _zod: { def: { pattern?: unknown } } }> }).checks ?? [];
  for (const check of checks) {
    const pattern = check._zod.def.pattern;
    if (pattern instanceof RegExp && pattern.flags.replace("u", "") !== "")
      throw new Error(
        `The scenario schema's regex ${String(pattern)} has flags JSON Schema cannot carry: spell the cases out ([a-zA-Z]) instead`,
      );
  }
}

/** The JSON Schema of scenario files, as written by users (defaults optional, durations as strings), with the given extension keys. */
export function createScenarioJsonSchema(extensions: readonly ScenarioExtension[]): Record<string, unknown> {
  const body = z.toJSONSchema(createScenarioSchema(extensions), {
    target: "draft-2020-12",
    io: "input",
    unrepresentable: "throw",
    override: refuseRegexFlags,
  });
  const { $schema, ...rest } = body;
  return {
    $schema,
    title: "persistlab scenario",
    description: "A persistlab scenario file. Generated from the zod schema by `persistlab schema`; do not edit.",
    ...rest,
  };
}

/** The JSON Schema as the text `persistlab schema` prints and the package ships (2-space JSON, trailing newline). */
export function renderScenarioJsonSchema(extensions: readonly ScenarioExtension[]): string {
  return JSON.stringify(createScenarioJsonSchema(extensions), null, 2) + "\n";
}
