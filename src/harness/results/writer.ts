// Writes results.json atomically (temp file + rename) after each run, so a late failure keeps earlier runs.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Results } from "./schema.ts";

/** Creates the output folder: --out DIR, or reports/<scenario>/<timestamp>/. */
export function createOutputDir(options: { out?: string | undefined; scenarioName: string; root?: string }): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-").replace(/Z$/, "");
  const dir = options.out ?? join(options.root ?? "reports", options.scenarioName, stamp);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes results.json into dir (atomic replace). */
export function writeResults(dir: string, results: Results): string {
  const file = join(dir, "results.json");
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, JSON.stringify(results, null, 2) + "\n");
  renameSync(temp, file);
  return file;
}
