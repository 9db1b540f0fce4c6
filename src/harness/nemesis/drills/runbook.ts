// A runbook drill round: the user's backup script runs against the live engine under load; what it left in
// BACKUP_DIR is opened on a scratch engine; the load goes on a moment; then the disaster (SIGKILL), the user's
// restore script on the stopped engine's data directory, and what an engine started on the result serves is
// read back (on a scratch copy, so the load's new writes never mix in) next to what it would have served
// without the restore. The history-based judgement happens after the run (runbook-judge.ts).
import { existsSync } from "node:fs";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { createTempDir } from "../../engines/ports.ts";
import type { RunContext } from "../../run/plugin.ts";
import type { RunbookDrill } from "../config.ts";
import { copyDataDir } from "../crash-state.ts";
import { crashEngine } from "../crash-engine.ts";
import type { RepairTools } from "../repair-tools.ts";
import type { StrategyTraits } from "../strategy-traits.ts";
import { verifyCrashState, type Verification } from "../verify-crash-state.ts";
import { findRedisCli, runScript, scriptSucceeded, type RunbookEnvironment, type ScriptRun } from "./runbook-script.ts";

/** The backup file a backup script is expected to leave in BACKUP_DIR. */
export const BACKUP_FILE = "dump.rdb";

/** A data set read back, or why not. */
export interface DataSetRead {
  /** Undefined: the engine did not start or could not be read. */
  data: Map<string, string> | undefined;
  problem?: string;
}

/** What a runbook drill round recorded (judged later against the history). */
export interface RunbookRecord {
  index: number;
  backupScript: string;
  restoreScript: string | undefined;
  backupDir: string;
  /** When the backup script started (µs, run clock). */
  startUs: number;
  /** Writes acknowledged before this (an earlier drill's kill, whose restore replaced the data) are not expected in the backup (µs). */
  sinceUs: number;
  backup: ScriptRun;
  /** The backup file's content; undefined data with problem "none" when the script left no file. */
  backupContent: DataSetRead;
  restore?: ScriptRun;
  /** Kill time (µs). */
  crashUs?: number;
  /** What the data directory would have served after the disaster without the restore. */
  before?: DataSetRead;
  /** What it serves after the restore script. */
  after?: DataSetRead;
}

// Reads a scratch engine started on a copy of `dir` (config overrides on top of the engine's own).
async function readOnScratch(
  ctx: RunContext,
  dir: string,
  overrides: Record<string, string>,
  traits: StrategyTraits,
  tools: RepairTools,
): Promise<DataSetRead> {
  let verification: Verification;
  try {
    verification = await verifyCrashState({
      engineFactory: ctx.engineFactory,
      config: { ...ctx.engine.config, ...overrides },
      label: `${ctx.scenario.name}-runbook`,
      crashStateDir: dir,
      traits,
      tools,
      repair: "never",
      timeoutMs: 60_000,
    });
  } catch (error) {
    return { data: undefined, problem: (error as Error).message.slice(0, 300) };
  }
  if (verification.readBack !== undefined) return { data: verification.readBack };
  return {
    data: undefined,
    problem: (verification.start.refusal ?? verification.readError ?? "the engine did not start")
      .split("\n")
      .slice(0, 2)
      .join(" | ")
      .slice(0, 300),
  };
}

// Opens the backup file on a scratch engine as an RDB (appendonly no, no save points: nothing rewrites it).
async function readBackup(
  ctx: RunContext,
  backupDir: string,
  traits: StrategyTraits,
  tools: RepairTools,
): Promise<DataSetRead> {
  const file = join(backupDir, BACKUP_FILE);
  if (!existsSync(file)) return { data: undefined, problem: "none" };
  const scratch = await createTempDir("runbook-backup");
  try {
    await copyFile(file, join(scratch, traits.dbfilename));
    return await readOnScratch(ctx, scratch, { appendonly: "no", save: "" }, traits, tools);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

// Reads what the live data directory holds now (the engine is stopped), through a scratch copy.
async function readDataDir(ctx: RunContext, traits: StrategyTraits, tools: RepairTools): Promise<DataSetRead> {
  const scratch = await createTempDir("runbook-state");
  try {
    await copyDataDir(ctx.engine.dataDir as string, scratch);
    return await readOnScratch(ctx, scratch, {}, traits, tools);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Options of runRunbookRound. */
export interface RunbookRoundOptions {
  drill: RunbookDrill;
  index: number;
  runId: string;
  traits: StrategyTraits;
  tools: RepairTools;
  /** The previous drill's kill (µs), or 0. */
  sinceUs: number;
  /** The load goes on this long between the backup and the disaster (ms). */
  gapMs: number;
  sleep: (ms: number) => Promise<void>;
}

/** Runs the round up to (not including) the restart of the live engine, which the caller does. */
export async function runRunbookRound(ctx: RunContext, options: RunbookRoundOptions): Promise<RunbookRecord> {
  const dataDir = ctx.engine.dataDir;
  if (dataDir === undefined) throw new Error("runbook drill: the engine has no data directory");
  const { drill, traits, tools } = options;
  const backupDir = join(
    ctx.outDir,
    "runbooks",
    options.runId.replace(/[^a-z0-9._-]+/gi, "_"),
    `drill-${options.index}`,
  );
  await rm(backupDir, { recursive: true, force: true });
  await mkdir(backupDir, { recursive: true });
  const env: RunbookEnvironment = {
    REDIS_HOST: "127.0.0.1",
    REDIS_PORT: String(ctx.endpoint.port),
    REDIS_CLI: findRedisCli(),
    DATA_DIR: dataDir,
    DBFILENAME: traits.dbfilename,
    BACKUP_DIR: backupDir,
    APPENDONLY: traits.aof ? "yes" : "no",
    APPENDDIRNAME: traits.appenddirname,
    APPENDFILENAME: ctx.engine.config["appendfilename"] ?? "appendonly.aof",
  };
  const startUs = Math.round(ctx.nowMs() * 1000);
  ctx.addEvent("runbook-backup", { script: drill.backup });
  const backup = await runScript(drill.backup, env, drill.timeoutMs, backupDir);
  const backupContent = await readBackup(ctx, backupDir, traits, tools);
  const record: RunbookRecord = {
    index: options.index,
    backupScript: drill.backup,
    restoreScript: drill.restore,
    backupDir,
    startUs,
    sinceUs: options.sinceUs,
    backup,
    backupContent,
  };
  if (drill.restore === undefined) return record;
  await options.sleep(options.gapMs);
  const crash = await crashEngine(ctx, { signal: "SIGKILL", killTree: true });
  record.crashUs = crash.crashUs;
  record.before = await readDataDir(ctx, traits, tools);
  ctx.addEvent("runbook-restore", { script: drill.restore });
  record.restore = await runScript(drill.restore, env, drill.timeoutMs, backupDir);
  record.after =
    scriptSucceeded(record.restore) || existsSync(dataDir)
      ? await readDataDir(ctx, traits, tools)
      : { data: undefined, problem: "the data directory is gone" };
  return record;
}
