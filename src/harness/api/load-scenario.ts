// API loadScenario(): a scenario file or ready-made name, validated strictly and resolved, as `persistlab run` loads it.
import { resolveScenarioPath } from "../cli/scenario-path.ts";
import { loadScenarioFile } from "../scenario/load.ts";
import type { ResolvedScenario } from "../scenario/resolved.ts";
import { HARNESS_EXTENSIONS } from "./extensions.ts";

/** Options of loadScenario(). */
export interface LoadScenarioOptions {
  /** Scale durations and data sizes down (`run --quick`). */
  quick?: boolean | undefined;
  /** Override the scenario's seed (`run --seed`). */
  seed?: number | undefined;
}

/** Loads a scenario JSON file, or a ready-made one by name ("smoke"); throws ScenarioError listing every issue. */
export function loadScenario(fileOrName: string, options: LoadScenarioOptions = {}): ResolvedScenario {
  const scenario = loadScenarioFile(resolveScenarioPath(fileOrName), {
    quick: options.quick === true,
    extensions: HARNESS_EXTENSIONS,
  });
  if (options.seed !== undefined) scenario.seed = options.seed;
  return scenario;
}
