// The bridge to the RDB module for AOF bases in RDB format (aof-use-rdb-preamble yes): writing a
// snapshot as an RDB with the aof-base aux field, and loading the RDB at the start of a file (expired
// keys kept, as Redis does for a preamble). check-aof checks one with tools/check-rdb.ts.
import type { KeyspaceSnapshot } from "../../keyspace/snapshot.ts";
import type { ServerContext } from "../../server/context-types.ts";
import type { RdbEncodingSettings } from "../rdb/encoding-choice.ts";
import { loadRdbBufferAsync } from "../rdb/rdb-loader.ts";
import { writeSnapshotRdb, type RdbSink } from "../rdb/snapshot-writer.ts";
import { RewriteCancelledError } from "./errors.ts";

/** Where the RDB writer sends its bytes (releasesChunks: see RdbSink). */
export type PreambleSink = RdbSink;

/** How to write a preamble. */
export interface PreambleWriteOptions {
  readonly compression: boolean;
  readonly checksum: boolean;
  readonly encoding: RdbEncodingSettings;
  /** Microseconds to wait per key (rdb-key-save-delay, for tests). */
  readonly keyDelayUs: number;
  /** True once the rewrite is cancelled (or its child killed): rdb-key-save-delay's pauses end then. */
  readonly isCancelled?: () => boolean;
}

/** Writes `snapshot` as an RDB base (aux aof-base 1), in slices. */
export async function writeRdbPreamble(
  snapshot: KeyspaceSnapshot,
  sink: PreambleSink,
  options: PreambleWriteOptions,
): Promise<void> {
  let lastKeys = 0;
  await writeSnapshotRdb(snapshot, sink, {
    compression: options.compression,
    checksum: options.checksum,
    encoding: options.encoding,
    aux: [["aof-base", "1"]],
    ...(options.keyDelayUs > 0
      ? {
          yieldBetweenSlices: async (keys: number) => {
            const delayMs = Math.max(1, Math.round(((keys - lastKeys) * options.keyDelayUs) / 1000));
            lastKeys = keys;
            const endsAt = Date.now() + delayMs;
            const cancelled = (): boolean => options.isCancelled?.() === true;
            while (!cancelled() && Date.now() < endsAt)
              await new Promise<void>((resolve) => setTimeout(resolve, Math.min(50, endsAt - Date.now())));
            if (cancelled()) throw new RewriteCancelledError("AOF rewrite cancelled");
          },
          sliceBudgetMs: 0,
        }
      : {}),
  });
}

/** Loads the RDB at the start of `buffer` into the keyspace; returns the bytes it took. Throws RdbFormatError. */
export async function loadRdbPreamble(context: ServerContext, buffer: Uint8Array, fileName: string): Promise<number> {
  const result = await loadRdbBufferAsync(buffer, context.keyspace, {
    fileName,
    nowMs: Date.now(),
    dropExpired: false,
    verifyChecksum: context.settings.rdbchecksum,
  });
  return result.bytesConsumed;
}
