// Extension point for scenario keys owned by other modules (e.g. `nemesis`, `checkers` by the chaos helper).
// A module calls registerScenarioExtension("nemesis", zodSchema) at import time; the loader then accepts
// and validates that top-level key strictly, and the resolved value lands in ResolvedScenario.extensions.
import type { ZodType } from "zod";

const EXTENSIONS = new Map<string, ZodType>();

/** Registers the schema of an extra top-level scenario key (idempotent for the same schema). */
export function registerScenarioExtension(key: string, schema: ZodType): void {
  EXTENSIONS.set(key, schema);
}

/** The registered extension schemas, by key. */
export function getScenarioExtensions(): ReadonlyMap<string, ZodType> {
  return EXTENSIONS;
}
