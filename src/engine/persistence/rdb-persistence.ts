// RDB persistence of the running server: start-up loading of dbfilename, SAVE/BGSAVE/DEBUG RELOAD,
// save points and BGSAVE SCHEDULE in the cron, the final save on shutdown, MISCONF after a failed
// background save, and the rdb_* INFO fields with Redis 7.0's names and meanings. The pieces live in
// rdb/ (rdb-runtime.ts, foreground-save.ts, background-save.ts); this file wires them.
import { ERRORS } from "../errors.ts";
import type { InfoField, RdbCommandHooks } from "./hooks.ts";
import type { SharedPersistenceState } from "./shared-state.ts";
import type { ServerContext } from "../server/context-types.ts";
import { cancelBackgroundSave, startBackgroundSave } from "./rdb/background-save.ts";
import { RdbFormatError } from "./rdb/errors.ts";
import { loadDumpSync, saveBlocking, saveForShutdown } from "./rdb/foreground-save.ts";
import { readRdbFile } from "./rdb/rdb-file.ts";
import { loadRdbBufferAsync, type RdbLoadResult } from "./rdb/rdb-loader.ts";
import { createRdbRuntime, dumpPath, nowSec, recordLoad, type RdbRuntime } from "./rdb/rdb-runtime.ts";
import { findDueSavePoint, isRetryAllowed } from "./rdb/save-points.ts";

/** What the composed persistence needs from the RDB half, and what commands ask of it (RdbCommandHooks). */
export interface RdbPersistence extends RdbCommandHooks {
  /** Loads dbfilename at start-up (AOF off). Throws RdbFormatError to refuse start-up. */
  loadAtStartup(): Promise<void>;
  /** MISCONF text after a failed background save with stop-writes-on-bgsave-error, else null. */
  writeError(): string | null;
  /** current_save_keys_processed / current_save_keys_total and the rdb_* fields, in Redis's order. */
  infoSaveProgress(): readonly InfoField[];
  infoRdb(): readonly InfoField[];
  /** Save points and scheduled BGSAVEs. */
  cron(): void;
  /** Final save on shutdown (save true/false forces, undefined follows the save points). */
  shutdown(save: boolean | undefined, force?: boolean): Promise<void>;
  /** Runtime directive change (dbfilename, save, ...). */
  onConfigChange(directive: string): void;
  /** Stops a running background save and removes its temp file (as killRDBChild). */
  cancelBackgroundSave(): Promise<void>;
}

/** DEBUG RELOAD failed while saving or while loading. */
export class RdbReloadError extends Error {
  override readonly name = "RdbReloadError";
  readonly phase: "save" | "load";

  constructor(phase: "save" | "load", cause: unknown) {
    super(`${phase} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.phase = phase;
  }
}

/** Creates the RDB half. */
export function createRdbPersistence(context: ServerContext, shared: SharedPersistenceState): RdbPersistence {
  const runtime = createRdbRuntime(context, shared);
  const settings = context.settings;
  const state = runtime.state;
  return {
    loadAtStartup: () => loadDumpAtStartup(runtime),
    writeError: () =>
      settings.stopWritesOnBgsaveError && settings.save.length > 0 && !state.lastBgsaveStatusOk ? ERRORS.misconf : null,
    infoSaveProgress: () => [
      ["current_save_keys_processed", state.running?.keysProcessed ?? 0],
      ["current_save_keys_total", state.running?.keysTotal ?? 0],
    ],
    infoRdb: () => infoRdb(runtime),
    cron: () => runCron(runtime),
    shutdown: (save, force) => saveOnShutdown(runtime, save, force),
    onConfigChange: (directive) => {
      if (directive === "dir") process.chdir(settings.dir);
    },
    save: () => {
      state.saves += 1;
      saveBlocking(runtime);
    },
    afterFlushAll: () => {
      if (state.running !== null) void cancelBackgroundSave(runtime);
      if (settings.save.length === 0) return false;
      try {
        saveBlocking(runtime);
        return true;
      } catch {
        // Logged by saveBlocking; FLUSHALL itself still succeeds, as in Redis.
        return false;
      }
    },
    requestBackgroundSave: ({ schedule }) => {
      if (shared.backgroundJob === "rdb-bgsave") return "already-in-progress";
      if (shared.backgroundJob !== null) {
        if (!schedule) return "other-job-running";
        shared.bgsaveScheduled = true;
        return "scheduled";
      }
      return startBackgroundSave(runtime) ? "started" : "failed";
    },
    backgroundSaveDone: () => state.running?.done ?? null,
    cancelBackgroundSave: () => cancelBackgroundSave(runtime),
    reload: (options) => reloadDump(runtime, options),
    get lastSaveSec() {
      return state.lastSaveSec;
    },
  };
}

// Start-up: loads dbfilename (when there is one) with the loading_* progress, Redis's log lines, and a
// refusal to start naming the fix when the file is damaged.
async function loadDumpAtStartup(runtime: RdbRuntime): Promise<void> {
  const { context, shared } = runtime;
  const { settings, keyspace, log } = context;
  const path = dumpPath(runtime);
  const buffer = await readRdbFile(path);
  if (buffer === null) return;
  const started = performance.now();
  shared.loading = { startTimeSec: nowSec(), totalBytes: buffer.length, loadedBytes: 0, rdbUsedMem: 0 };
  try {
    const result = await loadRdbBufferAsync(buffer, keyspace, {
      fileName: path,
      nowMs: Date.now(),
      verifyChecksum: settings.rdbchecksum,
      keyDelayUs: settings.keyLoadDelay,
      onProgress: (loadedBytes) => {
        if (shared.loading !== null) shared.loading.loadedBytes = loadedBytes;
      },
    });
    const version = result.aux.get("redis-ver");
    if (version !== undefined) log.notice(`Loading RDB produced by version ${version}`);
    const ctime = Number(result.aux.get("ctime"));
    if (Number.isFinite(ctime)) log.notice(`RDB age ${Math.max(0, nowSec() - ctime)} seconds`);
    recordLoad(runtime, result);
    keyspace.dirty = 0;
    log.notice(`DB loaded from disk: ${((performance.now() - started) / 1000).toFixed(3)} seconds`);
  } catch (error) {
    if (error instanceof RdbFormatError) {
      const mismatch = error.checksumMismatch;
      if (mismatch !== undefined) {
        // Redis 7.0's own lines for this case (rdbLoadRio), which operators and its tests look for.
        log.warning(
          `Wrong RDB checksum expected: (${mismatch.computed.toString(16)}) but got (${mismatch.stored.toString(16)}). Aborting now.`,
        );
        log.warning(`Internal error in RDB reading offset ${error.offset} -> RDB CRC error`);
      }
      log.warning(
        error.unsupported
          ? `${error.message}. Refusing to start.`
          : `${error.message}. Refusing to start: fix or remove the file (persistlab check-rdb ${path} shows the first problem).`,
      );
    }
    throw error;
  } finally {
    shared.loading = null;
  }
}

// The rdb_* fields of INFO persistence, in Redis 7.0's order.
function infoRdb(runtime: RdbRuntime): readonly InfoField[] {
  const { context, shared, state } = runtime;
  return [
    ["rdb_changes_since_last_save", context.keyspace.dirty],
    ["rdb_bgsave_in_progress", state.running === null ? 0 : 1],
    ["rdb_last_save_time", state.lastSaveSec],
    ["rdb_last_bgsave_status", state.lastBgsaveStatusOk ? "ok" : "err"],
    ["rdb_last_bgsave_time_sec", state.lastBgsaveDurationSec],
    [
      "rdb_current_bgsave_time_sec",
      state.running === null ? -1 : Math.floor((Date.now() - state.running.startedAtMs) / 1000),
    ],
    ["rdb_saves", state.saves],
    // No fork, so no pages are copied: this is the per-key copy-on-write of the last BGSAVE's snapshot
    // (estimated bytes of what it preserved, keyspace/snapshot.ts).
    ["rdb_last_cow_size", shared.cow.lastRdbBytes],
    ["rdb_last_load_keys_expired", state.lastLoadKeysExpired],
    ["rdb_last_load_keys_loaded", state.lastLoadKeysLoaded],
  ];
}

// The cron's part: a scheduled BGSAVE once retrying is allowed, else the first save point due.
function runCron(runtime: RdbRuntime): void {
  const { context, shared, state } = runtime;
  if (shared.backgroundJob !== null || context.loading || context.shuttingDown) return;
  const clock = {
    nowSec: nowSec(),
    dirty: context.keyspace.dirty,
    lastSaveSec: state.lastSaveSec,
    lastTrySec: state.lastBgsaveTrySec,
    lastStatusOk: state.lastBgsaveStatusOk,
  };
  if (shared.bgsaveScheduled && isRetryAllowed(clock)) {
    if (startBackgroundSave(runtime)) shared.bgsaveScheduled = false;
    return;
  }
  const point = findDueSavePoint(context.settings.save, clock);
  if (point !== null) {
    context.log.notice(`${point.changes} changes in ${point.seconds} seconds. Saving...`);
    startBackgroundSave(runtime);
  }
}

// Shutdown: a running BGSAVE stops, then the final save when asked (or when save points are set).
async function saveOnShutdown(
  runtime: RdbRuntime,
  save: boolean | undefined,
  force: boolean | undefined,
): Promise<void> {
  const log = runtime.context.log;
  await cancelBackgroundSave(runtime);
  const wanted = save ?? runtime.context.settings.save.length > 0;
  if (!wanted) return;
  log.notice("Saving the final RDB snapshot before exiting.");
  try {
    await saveForShutdown(runtime);
  } catch (error) {
    // As Redis: the best that can be done is to keep running (SHUTDOWN FORCE exits anyway).
    if (force === true) {
      log.warning("Error trying to save the DB. Exit anyway.");
      return;
    }
    log.warning("Error trying to save the DB, can't exit.");
    throw error;
  }
}

// DEBUG RELOAD: save (unless noSave), empty (unless noFlush), load the dump again.
function reloadDump(runtime: RdbRuntime, options: { noSave: boolean; noFlush: boolean; merge: boolean }): void {
  const keyspace = runtime.context.keyspace;
  if (!options.noSave) {
    try {
      saveBlocking(runtime);
    } catch (error) {
      throw new RdbReloadError("save", error);
    }
  }
  if (!options.noFlush) keyspace.flushAll();
  let result: RdbLoadResult | null;
  try {
    result = loadDumpSync(runtime, options.merge);
  } catch (error) {
    throw new RdbReloadError("load", error);
  }
  if (result === null) throw new RdbReloadError("load", `no dump file ${dumpPath(runtime)}`);
  recordLoad(runtime, result);
  keyspace.dirty = 0;
  runtime.context.log.notice("DB reloaded by DEBUG RELOAD");
}
