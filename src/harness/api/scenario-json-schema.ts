// API getScenarioJsonSchema(): the scenario format as JSON Schema, the harness's extension keys included
// (what `persistlab schema` prints).
import { createScenarioJsonSchema } from "../scenario/json-schema.ts";
import { HARNESS_EXTENSIONS } from "./extensions.ts";

/** The JSON Schema (draft 2020-12) of scenario files, `nemesis` included. */
export function getScenarioJsonSchema(): Record<string, unknown> {
  return createScenarioJsonSchema(HARNESS_EXTENSIONS);
}
