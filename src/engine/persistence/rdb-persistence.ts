// RDB persistence of the running server: start-up loading of dbfilename, SAVE/BGSAVE/DEBUG RELOAD,
// save points and BGSAVE SCHEDULE in the cron, the final save on shutdown, MISCONF after a failed
// background save, and the rdb_* INFO fields with Redis 7.0's names and meanings.
import { dirname, join, resolve } from "node:path";
import { ERRORS } from "../errors.ts";
import type { InfoField, RdbCommandHooks } from "./hooks.ts";
import { JobProcess, signalNumber } from "./job-process.ts";
import type { SharedPersistenceState } from "./shared-state.ts";
import type { ServerContext } from "../server/context-types.ts";
import { RdbFormatError } from "./rdb/errors.ts";
import { readRdbFile, readRdbFileSync, saveRdbFileAsync, saveRdbFileSync, SaveCancelledError } from "./rdb/rdb-file.ts";
import { loadRdbBuffer, loadRdbBufferAsync, type RdbLoadResult } from "./rdb/rdb-loader.ts";
import { findDueSavePoint, isRetryAllowed } from "./rdb/save-points.ts";
import { createTrafficAwareYield } from "./rdb/slice-yield.ts";
import { startStallMonitor } from "../util/stall-monitor.ts";
import type { RdbWriteOptions } from "./rdb/snapshot-writer.ts";

/** Redis's REDIS_AUTOSYNC_BYTES: incremental fsync while a background save writes. */
const INCREMENTAL_FSYNC_BYTES = 4 * 1024 * 1024;

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

/** Mutable RDB state (Redis's server.lastsave, lastbgsave_status, rdb_save_time_*, stat_rdb_saves, ...). */
interface RdbState {
  lastSaveSec: number;
  lastBgsaveStatusOk: boolean;
  lastBgsaveTrySec: number;
  lastBgsaveDurationSec: number;
  saves: number;
  lastLoadKeysLoaded: number;
  lastLoadKeysExpired: number;
  running: RunningSave | null;
}

interface RunningSave {
  readonly startedAtMs: number;
  readonly keysTotal: number;
  keysProcessed: number;
  cancelled: boolean;
  /** The signal that killed the save's child process, null when none did. */
  killedBy: string | null;
  readonly done: Promise<void>;
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
  const settings = context.settings;
  const keyspace = context.keyspace;
  const log = context.log;
  const nowSec = (): number => Math.floor(Date.now() / 1000);
  const state: RdbState = {
    lastSaveSec: nowSec(),
    lastBgsaveStatusOk: true,
    lastBgsaveTrySec: 0,
    lastBgsaveDurationSec: -1,
    saves: 0,
    lastLoadKeysLoaded: 0,
    lastLoadKeysExpired: 0,
    running: null,
  };
  const dumpPath = (): string => resolve(settings.dbfilename);
  // Temp files live beside the dump so the rename stays within one file system.
  const tempPathFor = (name: string): string => join(dirname(dumpPath()), name);
  const writeOptions = (): RdbWriteOptions => ({ compression: settings.rdbcompression, checksum: settings.rdbchecksum, encoding: settings, keyspace });

  const recordLoad = (result: RdbLoadResult): void => {
    state.lastLoadKeysLoaded = result.keys;
    state.lastLoadKeysExpired = result.expired;
    log.notice(
      `Done loading RDB, keys loaded: ${result.keys}, keys expired: ${result.expired}.` +
        (result.emptySkipped > 0 ? ` Empty keys skipped: ${result.emptySkipped}.` : ""),
    );
    if (result.functionsSkipped > 0) log.warning(`Skipped ${result.functionsSkipped} function libraries: the engine has no scripting.`);
  };

  // rdbSave: the blocking save shared by SAVE, SHUTDOWN and DEBUG RELOAD.
  const saveBlocking = (): void => {
    try {
      saveRdbFileSync(keyspace, dumpPath(), { ...writeOptions(), tempPath: tempPathFor(`temp-${process.pid}.rdb`) });
    } catch (error) {
      log.warning(`Write error saving DB on disk: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
    log.notice("DB saved on disk");
    keyspace.dirty = 0;
    state.lastSaveSec = nowSec();
    state.lastBgsaveStatusOk = true;
  };

  // The final save on shutdown: written in slices like a background save (rdb-key-save-delay
  // included), so the event loop still turns and a second SIGINT can end the process at once, removing
  // temp-<pid>.rdb, as Redis's signal handler does during its foreground save.
  const saveForShutdown = async (): Promise<void> => {
    const snapshot = keyspace.beginSnapshot();
    try {
      await saveRdbFileAsync(snapshot, dumpPath(), {
        ...writeOptions(),
        tempPath: tempPathFor(`temp-${process.pid}.rdb`),
        keySaveDelayUs: Math.max(0, settings.rdbKeySaveDelay),
      });
    } catch (error) {
      log.warning(`Write error saving DB on disk: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    } finally {
      snapshot.close();
    }
    log.notice("DB saved on disk");
    keyspace.dirty = 0;
    state.lastSaveSec = nowSec();
    state.lastBgsaveStatusOk = true;
  };

  // rdbSaveBackground: a copy-on-write snapshot serialised in slices; no fork.
  const startBackgroundSave = (): boolean => {
    if (shared.backgroundJob !== null) return false;
    state.saves += 1;
    const dirtyBefore = keyspace.dirty;
    state.lastBgsaveTrySec = nowSec();
    const snapshot = keyspace.beginSnapshot();
    shared.backgroundJob = "rdb-bgsave";
    const startedAtMs = Date.now();
    const stalls = startStallMonitor();
    let running!: RunningSave;
    // The child an operator can kill to abort the save, as Redis's fork child (its pid names the temp file).
    const job = JobProcess.start((signal) => {
      running.killedBy = signal;
      running.cancelled = true;
    });
    const done = (async () => {
      // Let the caller's reply go out first, as a fork returns to the parent immediately.
      await new Promise<void>((resolveTurn) => setImmediate(resolveTurn));
      let failure: unknown = null;
      try {
        await saveRdbFileAsync(snapshot, dumpPath(), {
          ...writeOptions(),
          tempPath: tempPathFor(`temp-${job.pid}.rdb`),
          incrementalFsyncBytes: context.accepted.get("rdb-save-incremental-fsync") === "no" ? 0 : INCREMENTAL_FSYNC_BYTES,
          keySaveDelayUs: Math.max(0, settings.rdbKeySaveDelay),
          isCancelled: () => running.cancelled,
          yieldBetweenSlices: createTrafficAwareYield(() => context.stats.totalCommandsProcessed),
          onProgress: (keys) => {
            running.keysProcessed = keys;
          },
        });
      } catch (error) {
        failure = error;
      } finally {
        // The job is over only once its child has been reaped (as Redis's checkChildrenDone).
        await job.finish();
        snapshot.close();
        shared.cow.lastRdbBytes = snapshot.copiedBytes;
      }
      state.running = null;
      shared.backgroundJob = null;
      state.lastBgsaveDurationSec = Math.floor((Date.now() - startedAtMs) / 1000);
      const stall = stalls.stop();
      if (failure === null) {
        log.notice("DB saved on disk");
        keyspace.dirty = Math.max(0, keyspace.dirty - dirtyBefore);
        state.lastSaveSec = nowSec();
        state.lastBgsaveStatusOk = true;
        log.notice(
          `Background saving terminated with success (${running.keysTotal} keys in ${((Date.now() - startedAtMs) / 1000).toFixed(3)} s` +
            (stall === null
              ? ")"
              : `, longest event-loop stall ${stall.longestMs.toFixed(1)} ms, ${stall.ownLongestMs.toFixed(1)} ms of it the engine's own` +
                (stall.cpuWaitMeasured ? ", the rest waiting for a CPU" : "") +
                (stall.gcMeasured ? `; ${stall.ownLongestGcMs.toFixed(1)} ms of the own part in GC pauses, longest GC pause ${stall.longestGcPauseMs.toFixed(1)} ms)` : ")")),
        );
      } else if (failure instanceof SaveCancelledError && running.killedBy !== null && running.killedBy !== "SIGUSR1") {
        state.lastBgsaveStatusOk = false;
        log.warning(`Background saving terminated by signal ${signalNumber(running.killedBy)}`);
      } else if (failure instanceof SaveCancelledError) {
        log.warning("Background saving terminated by signal 10");
      } else {
        state.lastBgsaveStatusOk = false;
        log.warning(`Write error saving DB on disk: ${failure instanceof Error ? failure.message : String(failure)}`);
        log.warning("Background saving error");
      }
    })();
    running = { startedAtMs, keysTotal: snapshot.totalKeys, keysProcessed: 0, cancelled: false, killedBy: null, done };
    state.running = running;
    log.notice(`Background saving started by pid ${job.pid}`);
    return true;
  };

  const cancelBackgroundSave = async (): Promise<void> => {
    const running = state.running;
    if (running === null) return;
    log.warning("Killing running background save");
    running.cancelled = true;
    await running.done;
  };

  const loadFileSync = (merge: boolean): RdbLoadResult | null => {
    const buffer = readRdbFileSync(dumpPath());
    if (buffer === null) return null;
    return loadRdbBuffer(buffer, keyspace, {
      fileName: dumpPath(),
      nowMs: Date.now(),
      verifyChecksum: settings.rdbchecksum,
      onDuplicate: merge ? "replace" : "error",
    });
  };

  const rdb: RdbPersistence = {
    loadAtStartup: async () => {
      const path = dumpPath();
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
        recordLoad(result);
        keyspace.dirty = 0;
        log.notice(`DB loaded from disk: ${((performance.now() - started) / 1000).toFixed(3)} seconds`);
      } catch (error) {
        if (error instanceof RdbFormatError) {
          const mismatch = error.checksumMismatch;
          if (mismatch !== undefined) {
            // Redis 7.0's own lines for this case (rdbLoadRio), which operators and its tests look for.
            log.warning(`Wrong RDB checksum expected: (${mismatch.computed.toString(16)}) but got (${mismatch.stored.toString(16)}). Aborting now.`);
            log.warning(`Internal error in RDB reading offset ${error.offset} -> RDB CRC error`);
          }
          log.warning(`${error.message}. Refusing to start: fix or remove the file (persistlab check-rdb ${path} shows the first problem).`);
        }
        throw error;
      } finally {
        shared.loading = null;
      }
    },
    writeError: () =>
      settings.stopWritesOnBgsaveError && settings.save.length > 0 && !state.lastBgsaveStatusOk ? ERRORS.misconf : null,
    infoSaveProgress: () => [
      ["current_save_keys_processed", state.running?.keysProcessed ?? 0],
      ["current_save_keys_total", state.running?.keysTotal ?? 0],
    ],
    infoRdb: () => [
      ["rdb_changes_since_last_save", keyspace.dirty],
      ["rdb_bgsave_in_progress", state.running === null ? 0 : 1],
      ["rdb_last_save_time", state.lastSaveSec],
      ["rdb_last_bgsave_status", state.lastBgsaveStatusOk ? "ok" : "err"],
      ["rdb_last_bgsave_time_sec", state.lastBgsaveDurationSec],
      ["rdb_current_bgsave_time_sec", state.running === null ? -1 : Math.floor((Date.now() - state.running.startedAtMs) / 1000)],
      ["rdb_saves", state.saves],
      // No fork, so no pages are copied: this is the per-key copy-on-write of the last BGSAVE's snapshot
      // (estimated bytes of what it preserved, keyspace/snapshot.ts).
      ["rdb_last_cow_size", shared.cow.lastRdbBytes],
      ["rdb_last_load_keys_expired", state.lastLoadKeysExpired],
      ["rdb_last_load_keys_loaded", state.lastLoadKeysLoaded],
    ],
    cron: () => {
      if (shared.backgroundJob !== null || context.loading || context.shuttingDown) return;
      const clock = {
        nowSec: nowSec(),
        dirty: keyspace.dirty,
        lastSaveSec: state.lastSaveSec,
        lastTrySec: state.lastBgsaveTrySec,
        lastStatusOk: state.lastBgsaveStatusOk,
      };
      if (shared.bgsaveScheduled && isRetryAllowed(clock)) {
        if (startBackgroundSave()) shared.bgsaveScheduled = false;
        return;
      }
      const point = findDueSavePoint(settings.save, clock);
      if (point !== null) {
        log.notice(`${point.changes} changes in ${point.seconds} seconds. Saving...`);
        startBackgroundSave();
      }
    },
    shutdown: async (save, force) => {
      await cancelBackgroundSave();
      const wanted = save ?? settings.save.length > 0;
      if (!wanted) return;
      log.notice("Saving the final RDB snapshot before exiting.");
      try {
        await saveForShutdown();
      } catch (error) {
        // As Redis: the best that can be done is to keep running (SHUTDOWN FORCE exits anyway).
        if (force === true) {
          log.warning("Error trying to save the DB. Exit anyway.");
          return;
        }
        log.warning("Error trying to save the DB, can't exit.");
        throw error;
      }
    },
    onConfigChange: (directive) => {
      if (directive === "dir") process.chdir(settings.dir);
    },
    save: () => {
      state.saves += 1;
      saveBlocking();
    },
    afterFlushAll: () => {
      if (state.running !== null) void cancelBackgroundSave();
      if (settings.save.length === 0) return false;
      try {
        saveBlocking();
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
      return startBackgroundSave() ? "started" : "failed";
    },
    backgroundSaveDone: () => state.running?.done ?? null,
    cancelBackgroundSave,
    reload: ({ noSave, noFlush, merge }) => {
      if (!noSave) {
        try {
          saveBlocking();
        } catch (error) {
          throw new RdbReloadError("save", error);
        }
      }
      if (!noFlush) keyspace.flushAll();
      let result: RdbLoadResult | null;
      try {
        result = loadFileSync(merge);
      } catch (error) {
        throw new RdbReloadError("load", error);
      }
      if (result === null) throw new RdbReloadError("load", `no dump file ${dumpPath()}`);
      recordLoad(result);
      keyspace.dirty = 0;
      log.notice("DB reloaded by DEBUG RELOAD");
    },
    get lastSaveSec() {
      return state.lastSaveSec;
    },
  };
  return rdb;
}
