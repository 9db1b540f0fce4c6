// The seed's backup recipe, executed: note LASTSAVE, BGSAVE, poll LASTSAVE until it changes (and the save
// succeeded), then copy dump.rdb aside. The copy is what a disaster drill restores when the RDB is damaged.
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { sendCommands } from "../../engines/raw-client.ts";
import type { Endpoint } from "../../engines/types.ts";
import type { PersistenceTracker } from "../persistence-tracker.ts";

/** A backup copy of dump.rdb. */
export interface RdbBackup {
  path: string;
  /** LASTSAVE of the copied save (unix seconds). */
  lastSave: number;
  /** Lower bound of when the copied save began (µs, run clock): writes acknowledged before it are in the copy. */
  saveStartLowerUs: number;
  /** BGSAVE → copy done (ms). */
  tookMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// LASTSAVE as a number.
async function readLastSave(endpoint: Endpoint): Promise<number> {
  const [reply] = await sendCommands(endpoint, [["LASTSAVE"]], 5000);
  if (typeof reply !== "number") throw new Error(`LASTSAVE answered ${String(reply)}`);
  return reply;
}

/** Takes a backup of dump.rdb; a string says why it could not. */
export async function takeRdbBackup(options: {
  endpoint: Endpoint;
  dataDir: string;
  dbfilename: string;
  destination: string;
  tracker: PersistenceTracker;
  nowUs: () => number;
  timeoutMs?: number;
}): Promise<RdbBackup | string> {
  const began = performance.now();
  const before = await readLastSave(options.endpoint);
  const sentUs = options.nowUs();
  const [reply] = await sendCommands(options.endpoint, [["BGSAVE"]], 5000);
  if (reply instanceof Error && !/in progress|already/i.test(reply.message)) return `BGSAVE failed: ${reply.message}`;
  const deadline = performance.now() + (options.timeoutMs ?? 60_000);
  let lastSave = before;
  while (performance.now() < deadline) {
    await sleep(50);
    lastSave = await readLastSave(options.endpoint);
    if (lastSave > before) break;
  }
  if (lastSave <= before) return "LASTSAVE did not change: the BGSAVE did not complete in time";
  const info = await options.tracker.poll();
  if (info !== undefined && !info.lastBgsaveOk) return "the BGSAVE failed (rdb_last_bgsave_status:err)";
  await mkdir(dirname(options.destination), { recursive: true });
  await copyFile(join(options.dataDir, options.dbfilename), options.destination);
  // The copied file is the last completed save: the tracker knows a lower bound of its start; it began no later than our BGSAVE.
  const known = options.tracker.lastCompletedSaveStartUs();
  return {
    path: options.destination,
    lastSave,
    saveStartLowerUs: Math.min(known ?? sentUs, sentUs),
    tookMs: performance.now() - began,
  };
}
