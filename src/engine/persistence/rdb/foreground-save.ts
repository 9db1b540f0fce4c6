// Saves and loads that the caller waits for: the blocking save (SAVE, DEBUG RELOAD, FLUSHALL with
// save points), the final save on shutdown, and the synchronous reload of the dump (DEBUG RELOAD).
import { recordSave, tempPathFor, dumpPath, writeOptions, type RdbRuntime } from "./rdb-runtime.ts";
import { readRdbFileSync, saveRdbFileAsync, saveRdbFileSync } from "./rdb-file.ts";
import { loadRdbBuffer, type RdbLoadResult } from "./rdb-loader.ts";

/** rdbSave: the blocking save shared by SAVE, FLUSHALL and DEBUG RELOAD; throws (after logging) on failure. */
export function saveBlocking(runtime: RdbRuntime): void {
  const keyspace = runtime.context.keyspace;
  try {
    saveRdbFileSync(keyspace, dumpPath(runtime), {
      ...writeOptions(runtime),
      tempPath: tempPathFor(runtime, `temp-${process.pid}.rdb`),
    });
  } catch (error) {
    runtime.context.log.warning(
      `Write error saving DB on disk: ${error instanceof Error ? error.message : String(error)}`,
    );
    throw error;
  }
  recordSave(runtime);
}

/**
 * The final save on shutdown: written in slices like a background save (rdb-key-save-delay
 * included), so the event loop still turns and a second SIGINT can end the process at once, removing
 * temp-<pid>.rdb, as Redis's signal handler does during its foreground save.
 */
export async function saveForShutdown(runtime: RdbRuntime): Promise<void> {
  const snapshot = runtime.context.keyspace.beginSnapshot();
  try {
    await saveRdbFileAsync(snapshot, dumpPath(runtime), {
      ...writeOptions(runtime),
      tempPath: tempPathFor(runtime, `temp-${process.pid}.rdb`),
      keySaveDelayUs: Math.max(0, runtime.context.settings.rdbKeySaveDelay),
    });
  } catch (error) {
    runtime.context.log.warning(
      `Write error saving DB on disk: ${error instanceof Error ? error.message : String(error)}`,
    );
    throw error;
  } finally {
    snapshot.close();
  }
  recordSave(runtime);
}

/** Loads the dump into the keyspace at once (merge: a key already there is replaced); null when there is no dump. */
export function loadDumpSync(runtime: RdbRuntime, merge: boolean): RdbLoadResult | null {
  const path = dumpPath(runtime);
  const buffer = readRdbFileSync(path);
  if (buffer === null) return null;
  return loadRdbBuffer(buffer, runtime.context.keyspace, {
    fileName: path,
    nowMs: Date.now(),
    verifyChecksum: runtime.context.settings.rdbchecksum,
    onDuplicate: merge ? "replace" : "error",
  });
}
