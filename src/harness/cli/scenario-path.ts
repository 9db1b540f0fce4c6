// Resolves a scenario argument: a path to a JSON file, or the name of a ready-made scenario (scenarios/<name>.json).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { getPackageRoot } from "../shared/runtime.ts";

/** The folder of ready-made scenarios. */
export function getScenariosDir(): string {
  return join(getPackageRoot(), "scenarios");
}

/** A path as given if it exists, else scenarios/<name>(.json) when that exists, else the input unchanged. */
export function resolveScenarioPath(input: string): string {
  if (existsSync(input)) return input;
  const named = join(getScenariosDir(), input.endsWith(".json") ? input : `${input}.json`);
  return existsSync(named) ? named : input;
}

/** Ready-made scenarios: file name, name and description. */
export function listReadyMadeScenarios(): Array<{ file: string; name: string; description: string }> {
  const dir = getScenariosDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => {
      try {
        const raw = JSON.parse(readFileSync(join(dir, file), "utf8")) as { name?: string; description?: string };
        return { file: join("scenarios", file), name: raw.name ?? file, description: raw.description ?? "" };
      } catch {
        return { file: join("scenarios", file), name: file, description: "(not valid JSON)" };
      }
    });
}
