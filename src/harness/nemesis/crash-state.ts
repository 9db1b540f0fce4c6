// Crash states: copies of the data directory as a crash left it, taken before the engine restarts on it
// (the restart may cut a torn tail). With --keep-crash-states they stay under
// <out>/crash-states/<run>/<round>-<fault>/ with a round.json, as a corpus for repair tests.
import { cp, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Copies every entry of `from` into `to` (created if needed). */
export async function copyDataDir(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from))
    await cp(join(from, entry), join(to, entry), { recursive: true, force: true, errorOnExist: false });
}

/** Replaces the contents of `to` with a copy of `from`. */
export async function replaceDataDir(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(to)) await rm(join(to, entry), { recursive: true, force: true });
  await copyDataDir(from, to);
}

/** The folder of one kept crash state. */
export function getCrashStateDir(outDir: string, runId: string, index: number, fault: string): string {
  return join(
    outDir,
    "crash-states",
    runId.replace(/[^a-z0-9._-]+/gi, "_"),
    `${String(index).padStart(3, "0")}-${fault}`,
  );
}

/** Keeps a crash state: the data files under `data/` and the round's description in round.json. */
export async function keepCrashState(options: {
  dataDir: string;
  dir: string;
  description: Record<string, unknown>;
}): Promise<string> {
  const data = join(options.dir, "data");
  await copyDataDir(options.dataDir, data);
  await writeFile(join(options.dir, "round.json"), JSON.stringify(options.description, null, 2) + "\n");
  return data;
}

/** Rewrites a kept crash state's round.json (once the restart and the check are known). */
export async function writeRoundDescription(dir: string, description: Record<string, unknown>): Promise<void> {
  await writeFile(join(dir, "round.json"), JSON.stringify(description, null, 2) + "\n");
}
