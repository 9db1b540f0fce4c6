// Saving and reading dump files: a snapshot written through a durable temp file (fsync, rename,
// directory fsync), with the fault points crash tests aim at, and the whole-file read for loading.
import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import type { Keyspace } from "../../keyspace/keyspace.ts";
import type { KeyspaceSnapshot } from "../../keyspace/snapshot.ts";
import { createDurableFile, createDurableFileSync } from "../durable-file.ts";
import { faultPoint } from "../fault-points.ts";
import {
  writeSnapshotRdb,
  writeSnapshotRdbSync,
  type RdbWriteOptions,
  type RdbWriteResult,
} from "./snapshot-writer.ts";

/** Thrown into a running background save to stop it (SHUTDOWN, FLUSHALL, DEBUG RELOAD). */
export class SaveCancelledError extends Error {
  override readonly name = "SaveCancelledError";
}

/** Options of a background save. */
export interface BackgroundSaveOptions extends RdbWriteOptions {
  /** The temp file beside the target. */
  tempPath: string;
  /** fdatasync every this many bytes (rdb-save-incremental-fsync: 4 MB as Redis). */
  incrementalFsyncBytes?: number;
  /** Pause this many microseconds per key written, on a timer between slices (rdb-key-save-delay, a test knob). */
  keySaveDelayUs?: number;
  /** Returns true once the save must stop. */
  isCancelled?: () => boolean;
}

/** Writes the snapshot to `path` durably without blocking the event loop; removes the temp file on failure. */
export async function saveRdbFileAsync(
  snapshot: KeyspaceSnapshot,
  path: string,
  options: BackgroundSaveOptions,
): Promise<RdbWriteResult> {
  const file = await createDurableFile(path, {
    tempPath: options.tempPath,
    ...(options.incrementalFsyncBytes === undefined ? {} : { incrementalFsyncBytes: options.incrementalFsyncBytes }),
  });
  const delayUs = options.keySaveDelayUs ?? 0;
  let keysAtLastPause = 0;
  const stopIfCancelled = (): void => {
    if (options.isCancelled?.() === true) throw new SaveCancelledError("background save cancelled");
  };
  const baseYield = options.yieldBetweenSlices;
  // Between slices the save stops as soon as it is cancelled (a small data set may never fill a chunk
  // to write, so the write path alone would notice only at the end).
  const yieldThenCheck = async (keys: number): Promise<void> => {
    if (delayUs > 0) {
      const pauseMs = ((keys - keysAtLastPause) * delayUs) / 1000;
      keysAtLastPause = keys;
      await cancellablePause(Math.max(0, Math.round(pauseMs)), () => options.isCancelled?.() === true);
    } else if (baseYield !== undefined) {
      await baseYield(keys);
    } else {
      await new Promise<void>((resolveTurn) => setImmediate(resolveTurn));
    }
    stopIfCancelled();
  };
  try {
    const result = await writeSnapshotRdb(
      snapshot,
      {
        write: async (chunk) => {
          stopIfCancelled();
          await file.write(chunk);
        },
        // file.write resolves once every byte is in the file and keeps no reference.
        releasesChunks: true,
      },
      {
        ...options,
        onMidway: () => faultPoint("rdb:mid-save"),
        // About one key per slice with rdb-key-save-delay, so the delay follows each key as in Redis.
        ...(delayUs > 0 ? { sliceBudgetMs: 0 } : {}),
        yieldBetweenSlices: yieldThenCheck,
      },
    );
    stopIfCancelled();
    await file.commit({
      beforeRename: () => {
        faultPoint("rdb:before-rename");
        // Cancelled while the temp file was being fsynced (FLUSHALL may have saved a newer dump meanwhile).
        if (options.isCancelled?.() === true) throw new SaveCancelledError("background save cancelled");
      },
    });
    return result;
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/** Writes the whole keyspace to `path` durably, blocking (SAVE, SHUTDOWN, DEBUG RELOAD). */
export function saveRdbFileSync(
  keyspace: Keyspace,
  path: string,
  options: RdbWriteOptions & { tempPath: string },
): RdbWriteResult {
  const file = createDurableFileSync(path, { tempPath: options.tempPath });
  try {
    const result = writeSnapshotRdbSync(keyspace.beginSnapshot(), { write: (chunk) => file.write(chunk) }, options);
    file.commit({ beforeRename: () => faultPoint("rdb:before-rename") });
    return result;
  } catch (error) {
    file.abort();
    throw error;
  }
}

/** Reads a dump file; null when it does not exist. */
export async function readRdbFile(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Blocking variant of readRdbFile. */
export function readRdbFileSync(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

// rdb-key-save-delay's pause, cut short (within 50 ms) once the save is cancelled or its child killed.
async function cancellablePause(totalMs: number, isCancelled: () => boolean): Promise<void> {
  // Always one timer turn at least (a 0 ms pause still lets clients in, as the slices are meant to).
  const endsAt = Date.now() + totalMs;
  do {
    await new Promise<void>((resolve) => setTimeout(resolve, Math.min(50, Math.max(0, endsAt - Date.now()))));
  } while (!isCancelled() && Date.now() < endsAt);
}
