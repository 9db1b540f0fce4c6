// Starting an engine after a crash the way an operator would: start; if it refuses, run the repair
// (check-aof --fix for an AOF, restore the last RDB backup, or set the broken RDB aside) and start again;
// as a last resort (the live engine only) empty the data directory so the run can go on. Records every step.
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { toError } from "../shared/errors.ts";
import type { RepairTools, ToolRun } from "./repair-tools.ts";
import type { StrategyTraits } from "./strategy-traits.ts";

/** What was done to make the engine start. */
export interface RepairStep {
  action: "check-aof --fix" | "restore-backup" | "discard-rdb" | "wipe-data";
  tool?: ToolRun;
  /** restore-backup: the backup file used. */
  from?: string;
}

/** Outcome of startWithRepair. */
export interface StartOutcome {
  /** ok: started as is; repaired: started after a repair (or the engine cut a torn AOF tail itself); failed: could not start on its data. */
  restart: "ok" | "repaired" | "failed";
  /** The engine cut a torn AOF tail itself while loading (aof-load-truncated yes). */
  truncatedTail: boolean;
  /** Why the first start failed (engine output lines that name the problem). */
  refusal?: string;
  repairs: RepairStep[];
  /** Spawn → ready of the start that succeeded (ms); undefined when none did. */
  readyMs: number | undefined;
  /** First spawn → ready, repairs included (ms). */
  recoveryMs: number;
  running: boolean;
}

/** What startWithRepair needs. */
export interface StartWithRepairOptions {
  start: () => Promise<{ readyMs: number }>;
  /** The engine's log so far (to spot a torn tail cut at load). */
  logTail: () => string;
  dataDir: string;
  traits: StrategyTraits;
  tools: RepairTools;
  /** "never": record the refusal and stop there. */
  repair: "auto" | "never";
  /** Latest RDB backup (BGSAVE + LASTSAVE recipe), if any. */
  backup?: string | undefined;
  /** Empty the data directory when nothing else works (the live engine must keep running). */
  wipeAsLastResort: boolean;
}

const TRUNCATED_TAIL =
  /loaded anyway because aof-load-truncated|short read while loading|truncat(ed|ing) (the )?(aof|tail|incomplete)/i;
const REFUSAL_LINE =
  /bad file format|unexpected end|short read|corrupt|crc|checksum|wrong signature|can't|cannot|refus|fatal|invalid|error|redis-check|check-aof|check-rdb/i;

/** The lines of an engine's failure output that say what is wrong (at most 6). */
export function summarizeRefusal(message: string): string {
  const lines = message
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const telling = lines.filter((line) => REFUSAL_LINE.test(line));
  return (telling.length > 0 ? telling : lines).slice(-6).join("\n").slice(0, 1500);
}

/** The AOF manifest path of a data directory. */
export function getManifestPath(dataDir: string, traits: StrategyTraits, appendfilename = "appendonly.aof"): string {
  return join(dataDir, traits.appenddirname, `${appendfilename}.manifest`);
}

// One repair attempt for the data directory; undefined when there is nothing to try.
async function repairOnce(options: StartWithRepairOptions): Promise<RepairStep | undefined> {
  const { traits, dataDir } = options;
  if (traits.aof) {
    const manifest = getManifestPath(dataDir, traits);
    if (!existsSync(manifest)) return undefined;
    return { action: "check-aof --fix", tool: await options.tools.checkAof(manifest, { fix: true }) };
  }
  const rdb = join(dataDir, traits.dbfilename);
  if (options.backup !== undefined && existsSync(options.backup)) {
    await copyFile(options.backup, rdb);
    return { action: "restore-backup", from: options.backup };
  }
  if (!existsSync(rdb)) return undefined;
  await rename(rdb, `${rdb}.broken-${Date.now()}`);
  return { action: "discard-rdb" };
}

// Removes everything in the data directory.
async function wipeDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  for (const entry of await readdir(dataDir)) await rm(join(dataDir, entry), { recursive: true, force: true });
}

/** Starts the engine, repairing its data when it refuses (see the file header). Never throws for a refusal. */
export async function startWithRepair(options: StartWithRepairOptions): Promise<StartOutcome> {
  const began = performance.now();
  const repairs: RepairStep[] = [];
  const attempt = async (): Promise<{ readyMs: number } | Error> => {
    try {
      return await options.start();
    } catch (error) {
      return toError(error);
    }
  };
  const finish = (
    restart: StartOutcome["restart"],
    readyMs: number | undefined,
    refusal: string | undefined,
  ): StartOutcome => {
    const truncatedTail = readyMs !== undefined && TRUNCATED_TAIL.test(options.logTail());
    const outcome: StartOutcome = {
      restart: restart === "ok" && truncatedTail ? "repaired" : restart,
      truncatedTail,
      repairs,
      readyMs,
      recoveryMs: performance.now() - began,
      running: readyMs !== undefined,
    };
    if (refusal !== undefined) outcome.refusal = refusal;
    return outcome;
  };
  const first = await attempt();
  if (!(first instanceof Error)) return finish("ok", first.readyMs, undefined);
  const refusal = summarizeRefusal(first.message);
  if (options.repair === "auto") {
    const step = await repairOnce(options);
    if (step !== undefined) {
      repairs.push(step);
      const second = await attempt();
      if (!(second instanceof Error)) return finish("repaired", second.readyMs, refusal);
    }
  }
  if (options.wipeAsLastResort) {
    await wipeDataDir(options.dataDir);
    repairs.push({ action: "wipe-data" });
    const last = await attempt();
    if (!(last instanceof Error)) return finish("failed", last.readyMs, refusal);
    throw new Error(`the engine does not start even on an empty data directory: ${summarizeRefusal(last.message)}`);
  }
  return finish("failed", undefined, refusal);
}
