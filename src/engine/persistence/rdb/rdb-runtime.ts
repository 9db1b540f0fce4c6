// The RDB half's state and what every piece of it reads (Redis's server.lastsave, lastbgsave_status,
// rdb_save_time_*, stat_rdb_saves, ...): the context, the state shared with the AOF half, the dump's
// paths and write options, and the bookkeeping after a save or a load. rdb-persistence.ts composes it.
import { dirname, join, resolve } from "node:path";
import type { ServerContext } from "../../server/context-types.ts";
import type { SharedPersistenceState } from "../shared-state.ts";
import type { RdbLoadResult } from "./rdb-loader.ts";
import type { RdbWriteOptions } from "./snapshot-writer.ts";

/** A background save in progress. */
export interface RunningSave {
  readonly startedAtMs: number;
  readonly keysTotal: number;
  keysProcessed: number;
  cancelled: boolean;
  /** The signal that killed the save's child process, null when none did. */
  killedBy: string | null;
  readonly done: Promise<void>;
}

/** Mutable RDB state. */
export interface RdbState {
  lastSaveSec: number;
  lastBgsaveStatusOk: boolean;
  lastBgsaveTrySec: number;
  lastBgsaveDurationSec: number;
  saves: number;
  lastLoadKeysLoaded: number;
  lastLoadKeysExpired: number;
  running: RunningSave | null;
}

/** What the pieces of the RDB half share. */
export interface RdbRuntime {
  readonly context: ServerContext;
  readonly shared: SharedPersistenceState;
  readonly state: RdbState;
}

/** Unix time in whole seconds. */
export const nowSec = (): number => Math.floor(Date.now() / 1000);

/** The RDB half's state at start: last save "now", as Redis's server.lastsave. */
export function createRdbRuntime(context: ServerContext, shared: SharedPersistenceState): RdbRuntime {
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
  return { context, shared, state };
}

/** The dump file (dbfilename, resolved against the current directory). */
export function dumpPath(runtime: RdbRuntime): string {
  return resolve(runtime.context.settings.dbfilename);
}

/** A temp file beside the dump, so the rename stays within one file system. */
export function tempPathFor(runtime: RdbRuntime, name: string): string {
  return join(dirname(dumpPath(runtime)), name);
}

/** How the dump is written (rdbcompression, rdbchecksum, the encoding thresholds). */
export function writeOptions(runtime: RdbRuntime): RdbWriteOptions {
  const settings = runtime.context.settings;
  return {
    compression: settings.rdbcompression,
    checksum: settings.rdbchecksum,
    encoding: settings,
    keyspace: runtime.context.keyspace,
  };
}

/** After a successful save of the whole data set: nothing is left unsaved. */
export function recordSave(runtime: RdbRuntime): void {
  runtime.context.log.notice("DB saved on disk");
  runtime.context.keyspace.dirty = 0;
  runtime.state.lastSaveSec = nowSec();
  runtime.state.lastBgsaveStatusOk = true;
}

/** After a load: rdb_last_load_keys_* and Redis's log lines. */
export function recordLoad(runtime: RdbRuntime, result: RdbLoadResult): void {
  const log = runtime.context.log;
  runtime.state.lastLoadKeysLoaded = result.keys;
  runtime.state.lastLoadKeysExpired = result.expired;
  log.notice(
    `Done loading RDB, keys loaded: ${result.keys}, keys expired: ${result.expired}.` +
      (result.emptySkipped > 0 ? ` Empty keys skipped: ${result.emptySkipped}.` : ""),
  );
}
