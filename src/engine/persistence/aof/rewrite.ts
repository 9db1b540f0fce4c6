// BGREWRITEAOF without fork (Redis's rewriteAppendOnlyFileBackground + backgroundRewriteDoneHandler):
//   1. open a new incr file and make the manifest name it (atomic swap) while writes still go to the old one;
//   2. at one instant: switch the writer to the new incr and take the copy-on-write snapshot;
//   3. write the new base from the snapshot into temp-rewriteaof-bg-<pid>.aof, in slices, fsynced;
//   4. rename it to the next base name; old base and old incrs become history in a new manifest (atomic swap);
//   5. delete the history files.
// A crash at any moment leaves a manifest whose base + incrs hold exactly the data set (docs/fault-points.md).
// Turning AOF on (wait-rewrite) writes the incr into temp-<name>.incr first and names it only in step 4.
import { closeSync, ftruncateSync, mkdirSync, openSync, renameSync, unlinkSync } from "node:fs";
import { rename, stat } from "node:fs/promises";
import { join } from "node:path";
import type { KeyspaceSnapshot } from "../../keyspace/snapshot.ts";
import { startStallMonitor } from "../../util/stall-monitor.ts";
import { faultPoint } from "../fault-points.ts";
import { AOF_APPEND_FLAGS } from "./append-writer.ts";
import { writeBaseFile } from "./base-writer.ts";
import { RewriteCancelledError } from "./errors.ts";
import { rewriteTempFileName, tempIncrFileName } from "./file-names.ts";
import { openAsync } from "./fd-io.ts";
import { deleteHistoryFiles } from "./history-files.ts";
import { JobProcess, signalNumber } from "../job-process.ts";
import { addNewBase, addNewIncr, cloneManifest, createEmptyManifest, markRewrittenIncrsAsHistory } from "./manifest.ts";
import { persistManifest, stageManifest, type StagedManifest } from "./manifest-store.ts";
import { aofDirectory, unixSeconds, type AofRuntime } from "./runtime.ts";

// A new incr starts empty even if a stale file of that name survived an earlier crash (opened for
// appending, then truncated: O_APPEND|O_TRUNC together is refused by Deno's fs).
function openNewIncrSync(path: string): number {
  const fd = openSync(path, AOF_APPEND_FLAGS, 0o644);
  ftruncateSync(fd, 0);
  return fd;
}

/** Whether a rewrite may start now (no other background job). */
export function canStartRewrite(runtime: AofRuntime): boolean {
  return runtime.shared.backgroundJob === null && runtime.rewrite.running === null;
}

/**
 * Starts a background rewrite; false when it could not start (another background job, or the
 * directory cannot be created). The returned promise in runtime.rewrite.running settles with success.
 */
export function startRewrite(runtime: AofRuntime): boolean {
  const { context, rewrite } = runtime;
  if (!canStartRewrite(runtime)) return false;
  try {
    mkdirSync(aofDirectory(runtime), { recursive: true });
  } catch (error) {
    context.log.warning(`Can't open or create append-only dir ${aofDirectory(runtime)}: ${(error as Error).message}`);
    rewrite.lastStatusOk = false;
    return false;
  }
  runtime.shared.backgroundJob = "aof-rewrite";
  runtime.shared.rewriteScheduled = false;
  rewrite.rewrites += 1;
  rewrite.startedAtSec = unixSeconds();
  rewrite.cancelRequested = false;
  rewrite.killedBy = null;
  // The child an operator can kill to abort the rewrite, as Redis's fork child.
  const job = JobProcess.start((signal) => {
    rewrite.killedBy = signal;
    rewrite.cancelRequested = true;
  });
  rewrite.childPid = job.pid;
  // The stall a rewrite causes is the event loop's delay while it runs (sampled every ms), and the part of
  // it that was the engine's own rather than time spent waiting for a CPU.
  const stalls = startStallMonitor();
  rewrite.loopDelayMaxUs = 0;
  rewrite.loopDelayOwnMaxUs = 0;
  rewrite.loopDelayOwnGcUs = 0;
  rewrite.gcPauseMaxUs = 0;
  rewrite.running = runRewrite(runtime).finally(async () => {
    // The job is over only once its child has been reaped (as Redis's checkChildrenDone).
    await job.finish();
    const stall = stalls.stop();
    rewrite.loopDelayMaxUs = Math.round((stall?.longestMs ?? 0) * 1000);
    rewrite.loopDelayOwnMaxUs = Math.round((stall?.ownLongestMs ?? 0) * 1000);
    rewrite.loopDelayOwnGcUs = Math.round((stall?.ownLongestGcMs ?? 0) * 1000);
    rewrite.gcPauseMaxUs = Math.round((stall?.longestGcPauseMs ?? 0) * 1000);
    runtime.shared.backgroundJob = null;
    rewrite.lastDurationSec = unixSeconds() - rewrite.startedAtSec;
    rewrite.startedAtSec = -1;
    rewrite.running = null;
  });
  return true;
}

/** Asks the running rewrite to stop and waits for it (appendonly no, shutdown). */
export async function cancelRewrite(runtime: AofRuntime): Promise<void> {
  const running = runtime.rewrite.running;
  if (running === null) return;
  runtime.context.log.notice(`Killing running AOF rewrite child: ${runtime.rewrite.childPid}`);
  runtime.rewrite.cancelRequested = true;
  await running;
}

async function runRewrite(runtime: AofRuntime): Promise<boolean> {
  const { context, rewrite, writer } = runtime;
  const settings = context.settings;
  const log = context.log;
  const directory = aofDirectory(runtime);
  const name = settings.appendfilename;
  const startState = runtime.state;
  const tempBasePath = rewriteTempFileName(rewrite.childPid);
  const tempIncrPath = join(directory, tempIncrFileName(name));
  let snapshot: KeyspaceSnapshot | null = null;
  try {
    // 1. The new incr, still empty and unnamed (writes keep going to the old one).
    let incrFd: number | null = null;
    let nextManifest: ReturnType<typeof cloneManifest> | null = null;
    if (startState === "on") {
      nextManifest = cloneManifest(runtime.manifest ?? createEmptyManifest());
      const incr = addNewIncr(nextManifest, name);
      incrFd = await openAsync(join(directory, incr.name), AOF_APPEND_FLAGS);
      ftruncateSync(incrFd, 0);
      log.notice(`Creating AOF incr file ${incr.name} on background rewrite`);
    } else if (startState === "wait-rewrite") {
      incrFd = openNewIncrSync(tempIncrPath);
      log.notice(`Creating AOF incr file ${tempIncrFileName(name)} on background rewrite`);
    }
    // The slow parts of the switch run first, in the background: most of what the old incr holds is made
    // durable (so that sealing it below has only the last few ms of writes to flush), and the manifest
    // naming the new incr is written and fdatasynced under its temp name.
    let staged: StagedManifest | null = null;
    if (nextManifest !== null) {
      await writer.syncAhead();
      staged = await stageManifest(directory, name, nextManifest);
    }
    // 2. The switch, synchronously so that no command runs in between: the old incr is sealed (written
    // and fdatasynced: once the manifest names a newer incr it must never end torn, or a power loss
    // would leave a truncated non-last file that refuses to load), the manifest naming the new incr is
    // swapped in, writes go to the new incr, and the snapshot holds everything before.
    // A killed child does not undo the switch: Redis opens the new incr before it forks, so every
    // killed rewrite leaves one more incr in the manifest. Only a state change or an explicit cancel
    // (appendonly no, shutdown) stops the rewrite before it.
    if (runtime.state !== startState || (rewrite.cancelRequested && rewrite.killedBy === null)) {
      if (incrFd !== null) closeSync(incrFd);
      throw new RewriteCancelledError("AOF state changed before the rewrite switched files");
    }
    // The rename is the instant the new incr counts; the directory fsync that makes it survive a power
    // loss runs in the background, and no write to the new incr counts as fsynced before it returns.
    let renameDurable: Promise<void> | undefined;
    if (nextManifest !== null && staged !== null) {
      writer.sealCurrent();
      renameDurable = staged.commit();
      runtime.manifest = nextManifest;
    }
    if (incrFd !== null) {
      runtime.feed.reset();
      writer.switchTo(incrFd, renameDurable);
    }
    log.notice(`Background append only file rewriting started by pid ${rewrite.childPid}`);
    if (rewrite.cancelRequested) throw new RewriteCancelledError("AOF rewrite child killed");
    snapshot = context.keyspace.beginSnapshot();

    // 3. The new base.
    const wantRdb = settings.aofUseRdbPreamble;
    await writeBaseFile({
      snapshot,
      path: tempBasePath,
      format: wantRdb ? "rdb" : "aof",
      timestamps: settings.aofTimestampEnabled,
      compression: settings.rdbcompression,
      checksum: settings.rdbchecksum,
      encoding: settings,
      incrementalFsync: settings.aofRewriteIncrementalFsync,
      keyDelayUs: settings.rdbKeySaveDelay,
      stats: runtime.fsyncStats,
      isCancelled: () => rewrite.cancelRequested,
    });
    snapshot.close();
    runtime.shared.cow.lastAofBytes = snapshot.copiedBytes;
    snapshot = null;
    log.notice(`Successfully created the temporary AOF base file ${tempBasePath}`);
    if (rewrite.cancelRequested || runtime.state !== startState)
      throw new RewriteCancelledError("AOF rewrite cancelled");
    log.notice("Background AOF rewrite terminated with success");

    // 4. The done handler: rename, new manifest, swap.
    const next = cloneManifest(runtime.manifest ?? createEmptyManifest());
    const base = addNewBase(next, name, wantRdb);
    await rename(tempBasePath, join(directory, base.name));
    log.notice(`Successfully renamed the temporary AOF base file ${tempBasePath} into ${base.name}`);
    if (startState === "wait-rewrite") {
      const incr = addNewIncr(next, name);
      renameSync(tempIncrPath, join(directory, incr.name));
      log.notice(`Successfully renamed the temporary AOF incr file ${tempIncrFileName(name)} into ${incr.name}`);
    }
    markRewrittenIncrsAsHistory(next, writer.isOpen);
    faultPoint("aof-rewrite:before-manifest-swap");
    await persistManifest(directory, name, next);
    runtime.manifest = next;
    faultPoint("aof-rewrite:after-manifest-swap-before-history-delete");
    if (runtime.state !== "off") {
      runtime.currentSize = (await stat(join(directory, base.name))).size + writer.incrSize;
      runtime.rewriteBaseSize = runtime.currentSize;
    }
    // 5. History.
    try {
      runtime.manifest = await deleteHistoryFiles({
        directory,
        appendFilename: name,
        manifest: next,
        log,
        disabled: context.accepted.get("aof-disable-auto-gc") === "yes",
      });
    } catch (error) {
      log.warning(`Failed to remove the AOF history files: ${(error as Error).message}`);
    }
    rewrite.lastStatusOk = true;
    rewrite.consecutiveFailures = 0;
    log.notice("Background AOF rewrite finished successfully");
    if (runtime.state === "wait-rewrite") runtime.state = "on";
    return true;
  } catch (error) {
    const cancelled = error instanceof RewriteCancelledError;
    const killed = rewrite.killedBy !== null && rewrite.killedBy !== "SIGUSR1";
    if (cancelled && !killed) log.warning("Background AOF rewrite terminated by signal 10");
    else if (killed) {
      log.warning(`Background AOF rewrite terminated by signal ${signalNumber(rewrite.killedBy as string)}`);
      rewrite.lastStatusOk = false;
      rewrite.consecutiveFailures += 1;
    } else {
      log.warning(`Background AOF rewrite terminated with error: ${(error as Error).message}`);
      rewrite.lastStatusOk = false;
      rewrite.consecutiveFailures += 1;
    }
    try {
      unlinkSync(tempBasePath);
    } catch {
      // not created, or already renamed
    }
    if (runtime.state === "wait-rewrite" && startState === "wait-rewrite") {
      // The temp incr holds writes no manifest names: drop it and try again (Redis schedules a new rewrite).
      writer.abandon();
      log.notice(`Removing the temp incr aof file ${tempIncrFileName(name)} in the background`);
      try {
        unlinkSync(tempIncrPath);
      } catch {
        // already gone
      }
      runtime.shared.rewriteScheduled = true;
    }
    return false;
  } finally {
    snapshot?.close();
  }
}
