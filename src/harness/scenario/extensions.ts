// Scenario keys owned by other modules (the nemesis owns `nemesis`): a top-level key and the zod schema of its
// value. The loader accepts exactly the extensions it is given and validates them strictly; the resolved value
// lands in ResolvedScenario.extensions. api/extensions.ts lists the harness's own and passes them in.
import type { ZodType } from "zod";

/** An extra top-level scenario key and the schema of its value. */
export interface ScenarioExtension {
  readonly key: string;
  readonly schema: ZodType;
}
