// BGSAVE without fork (Redis's rdbSaveBackground): a copy-on-write snapshot of the keyspace written in
// slices between client traffic, under a stand-in child process an operator can kill, and the end of
// the job: bookkeeping, the temp file, and Redis's log lines for success, a kill and a write error.
import { JobProcess, signalNumber } from "../job-process.ts";
import { startStallMonitor, type StallFigures } from "../../util/stall-monitor.ts";
import { nowSec, tempPathFor, dumpPath, writeOptions, type RdbRuntime, type RunningSave } from "./rdb-runtime.ts";
import { saveRdbFileAsync, SaveCancelledError } from "./rdb-file.ts";
import { createTrafficAwareYield } from "./slice-yield.ts";

/** Redis's REDIS_AUTOSYNC_BYTES: incremental fsync while a background save writes. */
const INCREMENTAL_FSYNC_BYTES = 4 * 1024 * 1024;

/** Starts a background save; false when another background job runs. */
export function startBackgroundSave(runtime: RdbRuntime): boolean {
  const { context, shared, state } = runtime;
  if (shared.backgroundJob !== null) return false;
  const keyspace = context.keyspace;
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
      await saveRdbFileAsync(snapshot, dumpPath(runtime), {
        ...writeOptions(runtime),
        tempPath: tempPathFor(runtime, `temp-${job.pid}.rdb`),
        incrementalFsyncBytes:
          context.accepted.get("rdb-save-incremental-fsync") === "no" ? 0 : INCREMENTAL_FSYNC_BYTES,
        keySaveDelayUs: Math.max(0, context.settings.rdbKeySaveDelay),
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
    finishBackgroundSave(runtime, { running, failure, dirtyBefore, stall: stalls.stop() });
  })();
  running = { startedAtMs, keysTotal: snapshot.totalKeys, keysProcessed: 0, cancelled: false, killedBy: null, done };
  state.running = running;
  context.log.notice(`Background saving started by pid ${job.pid}`);
  return true;
}

/** Stops a running background save and waits for its end (its temp file removed), as killRDBChild. */
export async function cancelBackgroundSave(runtime: RdbRuntime): Promise<void> {
  const running = runtime.state.running;
  if (running === null) return;
  runtime.context.log.warning("Killing running background save");
  running.cancelled = true;
  await running.done;
}

// The save's outcome: writes made during the save stay unsaved on success; a cancel (logged as signal
// 10, SIGUSR1, which Redis uses to stop its own child) or a kill by SIGUSR1 is no error, any other kill
// or a write error is (rdb_last_bgsave_status:err).
function finishBackgroundSave(
  runtime: RdbRuntime,
  end: { running: RunningSave; failure: unknown; dirtyBefore: number; stall: StallFigures | null },
): void {
  const { context, state } = runtime;
  const log = context.log;
  const { running, failure } = end;
  if (failure === null) {
    log.notice("DB saved on disk");
    context.keyspace.dirty = Math.max(0, context.keyspace.dirty - end.dirtyBefore);
    state.lastSaveSec = nowSec();
    state.lastBgsaveStatusOk = true;
    log.notice(
      `Background saving terminated with success (${running.keysTotal} keys in ${((Date.now() - running.startedAtMs) / 1000).toFixed(3)} s${describeStall(end.stall)}`,
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
}

// The end of the success line: ")" alone, or the longest event-loop stall and what it was made of.
function describeStall(stall: StallFigures | null): string {
  if (stall === null) return ")";
  return (
    `, longest event-loop stall ${stall.longestMs.toFixed(1)} ms, ${stall.ownLongestMs.toFixed(1)} ms of it the engine's own` +
    (stall.cpuWaitMeasured ? ", the rest waiting for a CPU" : "") +
    (stall.gcMeasured
      ? `; ${stall.ownLongestGcMs.toFixed(1)} ms of the own part in GC pauses, longest GC pause ${stall.longestGcPauseMs.toFixed(1)} ms)`
      : ")")
  );
}
