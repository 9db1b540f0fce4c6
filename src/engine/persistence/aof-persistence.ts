// AOF persistence of the running server: propagation into the append buffer, the fsync policies
// (group commit under always), BGREWRITEAOF / auto-rewrite, turning AOF on and off at runtime,
// start-up loading, and the aof_* INFO fields. The pieces live in aof/; this file wires them (and holds
// the small ones as module functions).
import type { ServerContext } from "../server/context-types.ts";
import { AofAppendWriter } from "./aof/append-writer.ts";
import { AofCommandFeed } from "./aof/command-encoder.ts";
import { FsyncStats } from "./aof/fsync-stats.ts";
import { loadRdbPreamble } from "./aof/rdb-preamble.ts";
import { cancelRewrite, canStartRewrite, startRewrite } from "./aof/rewrite.ts";
import { isRewriteLimited } from "./aof/rewrite-limit.ts";
import { deleteHistoryFiles } from "./aof/history-files.ts";
import { loadAofFiles } from "./aof/loader.ts";
import { aofDirectory, createRewriteStatus, manifestPath, unixSeconds, type AofRuntime } from "./aof/runtime.ts";
import { collectHistoryNow, startAppendOnly, stopAppendOnly } from "./aof/runtime-switch.ts";
import { loadManifestOrRefuse, startAofAtBoot } from "./aof/startup.ts";
import type { AofCommandHooks, InfoField } from "./hooks.ts";
import type { SharedPersistenceState } from "./shared-state.ts";
import { strerrorOfCode } from "../util/strerror.ts";

/** What the composed persistence needs from the AOF half. */
export interface AofPersistence {
  /** What commands ask of the AOF half (BGREWRITEAOF, DEBUG LOADAOF, DEBUG AOF-FLUSH-SLEEP). */
  readonly control: AofCommandHooks;
  /** Loads the AOF at start-up (appendonly yes). Throws AofLoadError to refuse start-up. */
  loadAtStartup(): Promise<void>;
  propagate(dbIndex: number, argv: readonly string[]): void;
  beforeReplies(): Promise<void> | null;
  /** `MISCONF Errors writing to the AOF file: ...` while writes fail, else null. */
  writeError(): string | null;
  /** aof_* fields from aof_enabled to aof_last_cow_size (always printed). */
  infoAof(): readonly InfoField[];
  /** aof_current_size ... aof_delayed_fsync (printed when AOF is on). */
  infoAofOn(): readonly InfoField[];
  /** The engine's own figures (persistlab_fsync_count, _p50_us, _p99_us, _max_us, the last rewrite's stall). */
  infoEngine(): readonly InfoField[];
  cron(): void;
  shutdown(): Promise<void>;
  onConfigChange(directive: string): Promise<void> | void;
}

/** Creates the AOF half. */
export function createAofPersistence(context: ServerContext, shared: SharedPersistenceState): AofPersistence {
  const settings = context.settings;
  const log = context.log;
  const fsyncStats = new FsyncStats();
  const runtime: AofRuntime = {
    context,
    shared,
    fsyncStats,
    feed: new AofCommandFeed(),
    writer: new AofAppendWriter({
      policy: () => settings.appendfsync,
      skipFsync: () => settings.noAppendfsyncOnRewrite && shared.backgroundJob !== null,
      stats: fsyncStats,
      log,
      nowSec: unixSeconds,
      onWritten: (bytes) => {
        runtime.currentSize += bytes;
      },
      flushSleepUs: () => control.flushSleepUs,
    }),
    state: "off",
    manifest: null,
    currentSize: 0,
    rewriteBaseSize: 0,
    rewrite: createRewriteStatus(),
  };
  const writer = runtime.writer;

  // Keys deleted by expiry are propagated as DEL, so replaying the AOF never resurrects them.
  context.keyspace.onExpired((database, key) => {
    if (writer.isOpen && shared.loading === null) context.dispatcher.propagate(database.index, ["DEL", key]);
  });

  const control: AofCommandHooks = {
    requestRewrite: () => requestRewrite(runtime),
    flushSleepUs: 0,
    reloadFromFiles: () => reloadFromFiles(runtime),
  };

  return {
    control,
    loadAtStartup: () => startAofAtBoot(runtime, (buffer, fileName) => loadRdbPreamble(context, buffer, fileName)),
    propagate: (dbIndex, argv) => {
      if (!writer.isOpen) return;
      // The clock is read only when annotations are on (a Date.now per write cost ~1% of a pipelined SET).
      const timestamps = settings.aofTimestampEnabled;
      writer.append(runtime.feed.encode(dbIndex, argv, timestamps, timestamps ? unixSeconds() : 0));
    },
    beforeReplies: () => writer.flushBeforeReplies(),
    writeError: () => {
      const failure = writer.writeError ?? writer.fsyncError;
      if (runtime.state === "off" || failure === null) return null;
      return `MISCONF Errors writing to the AOF file: ${strerrorOfCode(failure)}`;
    },
    infoAof: () => infoAof(runtime),
    infoAofOn: () => [
      ["aof_current_size", runtime.currentSize],
      ["aof_base_size", runtime.rewriteBaseSize],
      ["aof_pending_rewrite", shared.rewriteScheduled ? 1 : 0],
      ["aof_buffer_length", writer.bufferLength],
      ["aof_pending_bio_fsync", writer.pendingFsync],
      ["aof_delayed_fsync", writer.delayedFsync],
    ],
    infoEngine: () => [
      ...fsyncStats.info(),
      ["persistlab_aof_rewrite_loop_delay_max_us", runtime.rewrite.loopDelayMaxUs],
      ["persistlab_aof_rewrite_loop_delay_own_max_us", runtime.rewrite.loopDelayOwnMaxUs],
      ["persistlab_aof_rewrite_loop_delay_own_gc_us", runtime.rewrite.loopDelayOwnGcUs],
      ["persistlab_aof_rewrite_gc_pause_max_us", runtime.rewrite.gcPauseMaxUs],
      ["persistlab_aof_postponed_waits", writer.postponedWaits],
      ["persistlab_aof_postponed_wait_us", writer.postponedWaitUs],
      ["persistlab_aof_appended_bytes", writer.appendedBytes],
    ],
    cron: () => {
      writer.cron();
      maybeStartRewrite(runtime);
    },
    shutdown: () => shutdownAof(runtime),
    onConfigChange: (directive) => {
      if (directive === "aof-disable-auto-gc") return collectHistoryNow(runtime);
      if (directive !== "appendonly") return undefined;
      if (settings.appendonly && runtime.state === "off") startAppendOnly(runtime);
      else if (!settings.appendonly && runtime.state !== "off") return stopAppendOnly(runtime);
      return undefined;
    },
  };
}

// BGREWRITEAOF: started, scheduled behind another background job (or an EXEC), refused while one runs.
function requestRewrite(runtime: AofRuntime): "started" | "scheduled" | "in-progress" | "failed" {
  const { context, shared } = runtime;
  if (runtime.rewrite.running !== null) return "in-progress";
  if (!canStartRewrite(runtime) || context.dispatcher.inExec) {
    shared.rewriteScheduled = true;
    runtime.rewrite.consecutiveFailures = 0;
    return "scheduled";
  }
  return startRewrite(runtime) ? "started" : "failed";
}

// DEBUG LOADAOF: the buffer written, the data set emptied and loaded back from the files the manifest on disk names.
async function reloadFromFiles(runtime: AofRuntime): Promise<void> {
  const { context } = runtime;
  const { settings, log } = context;
  if (runtime.state !== "off") runtime.writer.writeBufferedNow();
  context.keyspace.flushAll();
  // As Redis: the manifest is read again from disk (its sequence numbers included) and history dropped.
  let manifest = loadManifestOrRefuse(runtime);
  manifest = await deleteHistoryFiles({
    directory: aofDirectory(runtime),
    appendFilename: settings.appendfilename,
    manifest,
    log,
    disabled: context.accepted.get("aof-disable-auto-gc") === "yes",
  });
  runtime.manifest = manifest;
  await loadAofFiles({
    context,
    directory: aofDirectory(runtime),
    manifest,
    manifestPath: manifestPath(runtime),
    appendFilename: settings.appendfilename,
    loadTruncated: settings.aofLoadTruncated,
    log,
    loadPreamble: (buffer, fileName) => loadRdbPreamble(context, buffer, fileName),
    onProgress: () => {},
  });
  // As Redis's DEBUG LOADAOF: what was just loaded is no change to save (rdb_changes_since_last_save 0).
  context.keyspace.dirty = 0;
  log.warning("Append Only File loaded by DEBUG LOADAOF");
}

// The cron's rewrite: a scheduled one, else one on growth (auto-aof-rewrite-percentage over auto-aof-rewrite-min-size).
function maybeStartRewrite(runtime: AofRuntime): void {
  const settings = runtime.context.settings;
  if (!canStartRewrite(runtime)) return;
  if (runtime.shared.rewriteScheduled && !isRewriteLimited(runtime)) {
    startRewrite(runtime);
    return;
  }
  if (
    runtime.state !== "on" ||
    settings.autoAofRewritePercentage === 0 ||
    runtime.currentSize <= settings.autoAofRewriteMinSize
  )
    return;
  const base = runtime.rewriteBaseSize === 0 ? 1 : runtime.rewriteBaseSize;
  const growth = Math.floor((runtime.currentSize * 100) / base) - 100;
  if (growth >= settings.autoAofRewritePercentage && !isRewriteLimited(runtime)) {
    runtime.context.log.notice(`Starting automatic rewriting of AOF on ${growth}% growth`);
    startRewrite(runtime);
  }
}

// The aof_* fields from aof_enabled to aof_last_cow_size, in Redis 7.0's order.
function infoAof(runtime: AofRuntime): readonly InfoField[] {
  const { rewrite, writer, shared } = runtime;
  return [
    ["aof_enabled", runtime.state === "off" ? 0 : 1],
    ["aof_rewrite_in_progress", rewrite.running === null ? 0 : 1],
    ["aof_rewrite_scheduled", shared.rewriteScheduled ? 1 : 0],
    ["aof_last_rewrite_time_sec", rewrite.lastDurationSec],
    ["aof_current_rewrite_time_sec", rewrite.running === null ? -1 : unixSeconds() - rewrite.startedAtSec],
    ["aof_last_bgrewrite_status", rewrite.lastStatusOk ? "ok" : "err"],
    ["aof_rewrites", rewrite.rewrites],
    ["aof_rewrites_consecutive_failures", rewrite.consecutiveFailures],
    ["aof_last_write_status", writer.writeError === null && writer.fsyncError === null ? "ok" : "err"],
    ["aof_last_cow_size", shared.cow.lastAofBytes],
  ];
}

// Shutdown: an initial rewrite is waited for, any other cancelled, then the AOF is fsynced and closed.
async function shutdownAof(runtime: AofRuntime): Promise<void> {
  const log = runtime.context.log;
  if (runtime.state === "wait-rewrite" && runtime.rewrite.running !== null) {
    // Redis refuses to exit while writing the initial AOF; we let it finish instead of losing the data set.
    log.warning("Writing initial AOF, waiting for it before exiting.");
    await runtime.rewrite.running;
  }
  await cancelRewrite(runtime);
  if (runtime.writer.isOpen) {
    log.notice("Calling fsync() on the AOF file.");
    await runtime.writer.close();
  }
}
