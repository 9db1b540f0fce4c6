// The AOF half's state, shared by start-up, propagation, rewrites and INFO: Redis's aof_state
// (off / wait-rewrite / on), the manifest in memory, sizes, the writer, and the rewrite counters.
import { join } from "node:path";
import type { ServerContext } from "../../server/context-types.ts";
import type { SharedPersistenceState } from "../shared-state.ts";
import type { AofAppendWriter } from "./append-writer.ts";
import type { AofCommandFeed } from "./command-encoder.ts";
import { manifestFileName } from "./file-names.ts";
import type { FsyncStats } from "./fsync-stats.ts";
import type { AofManifest } from "./manifest.ts";

/** off: no AOF; wait-rewrite: turned on, writing its first base; on: appending. */
export type AofState = "off" | "wait-rewrite" | "on";

/** Counters and statuses INFO persistence prints about rewrites. */
export interface RewriteStatus {
  /** aof_rewrites: rewrites started. */
  rewrites: number;
  /** aof_rewrites_consecutive_failures. */
  consecutiveFailures: number;
  /** aof_last_bgrewrite_status. */
  lastStatusOk: boolean;
  /** aof_last_rewrite_time_sec (-1 before the first). */
  lastDurationSec: number;
  /** Unix seconds when the running rewrite started, -1 when none. */
  startedAtSec: number;
  /** Set to stop the running rewrite (appendonly no, shutdown, its child killed). */
  cancelRequested: boolean;
  /** Pid of the running (or last) rewrite's child process (job-process.ts). */
  childPid: number;
  /** The signal that killed the running rewrite's child, null when none did. */
  killedBy: string | null;
  /** Resolves when the running rewrite ends, null when none runs. */
  running: Promise<boolean> | null;
  /** Longest event-loop delay (µs) seen while the last or current rewrite ran (the stall it caused). */
  loopDelayMaxUs: number;
  /** The longest part of such a delay that was the engine's own (not waiting for a CPU), µs. */
  loopDelayOwnMaxUs: number;
  /** GC pause time (µs) within that longest own delay (0 where the runtime does not report GC pauses). */
  loopDelayOwnGcUs: number;
  /** The longest single GC pause (µs) while the last or current rewrite ran. */
  gcPauseMaxUs: number;
  /** Rewrite limiting after repeated failures (aofRewriteLimited). */
  nextDelayMinutes: number;
  nextAllowedAtSec: number;
}

/** The AOF half's mutable state. */
export interface AofRuntime {
  readonly context: ServerContext;
  readonly shared: SharedPersistenceState;
  readonly writer: AofAppendWriter;
  readonly feed: AofCommandFeed;
  readonly fsyncStats: FsyncStats;
  state: AofState;
  /** The manifest as last made durable (null: not read from disk yet). */
  manifest: AofManifest | null;
  /** aof_current_size: base + incrs. */
  currentSize: number;
  /** aof_base_size (aof_rewrite_base_size): the size after the last rewrite, for auto-rewrite growth. */
  rewriteBaseSize: number;
  readonly rewrite: RewriteStatus;
}

/** The AOF directory path (relative to the working directory, which is `dir`). */
export function aofDirectory(runtime: AofRuntime): string {
  return runtime.context.settings.appenddirname;
}

/** The manifest's path, for messages and hints. */
export function manifestPath(runtime: AofRuntime): string {
  return join(aofDirectory(runtime), manifestFileName(runtime.context.settings.appendfilename));
}

/** Current unix time in whole seconds. */
export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Fresh rewrite counters. */
export function createRewriteStatus(): RewriteStatus {
  return {
    rewrites: 0,
    consecutiveFailures: 0,
    lastStatusOk: true,
    lastDurationSec: -1,
    startedAtSec: -1,
    cancelRequested: false,
    childPid: -1,
    killedBy: null,
    running: null,
    loopDelayMaxUs: 0,
    loopDelayOwnMaxUs: 0,
    loopDelayOwnGcUs: 0,
    gcPauseMaxUs: 0,
    nextDelayMinutes: 0,
    nextAllowedAtSec: 0,
  };
}
