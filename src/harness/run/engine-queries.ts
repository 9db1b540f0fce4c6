// Small engine queries used by phases: DBSIZE, INFO persistence, persistence files' size on disk.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Endpoint } from "../engines/types.ts";
import { readInfo, sendCommands } from "../engines/raw-client.ts";

/** DBSIZE of db 0 (throws when unreachable). */
export async function readDbSize(endpoint: Endpoint): Promise<number> {
  const [reply] = await sendCommands(endpoint, [["DBSIZE"]], 10_000);
  if (typeof reply !== "number") throw reply instanceof Error ? reply : new Error("DBSIZE gave no integer");
  return reply;
}

/** INFO persistence fields. */
export function readPersistenceInfo(endpoint: Endpoint): Promise<Record<string, string>> {
  return readInfo(endpoint, "persistence", 5000);
}

/** Total bytes of persistence files in a data dir: *.rdb and everything under the AOF directory (recursive). */
export async function measurePersistenceBytes(dataDir: string | undefined): Promise<number> {
  if (dataDir === undefined) return 0;
  let total = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else {
        try {
          total += (await stat(path)).size;
        } catch {
          // removed while walking (rewrite cleanup)
        }
      }
    }
  };
  await walk(dataDir);
  return total;
}
