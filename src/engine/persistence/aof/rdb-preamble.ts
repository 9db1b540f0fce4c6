// The bridge to the RDB module for AOF bases in RDB format (aof-use-rdb-preamble yes): writing a
// snapshot as an RDB with the aof-base aux field, and loading an RDB preamble at the start of a file.
import type { KeyspaceSnapshot } from "../../keyspace/snapshot.ts";
import type { ServerContext } from "../../server/context.ts";

/** Where the RDB writer sends its bytes. */
export interface PreambleSink {
  write(chunk: Uint8Array): Promise<void> | void;
}

/** Whether this build can write and read RDB preambles. */
export const RDB_PREAMBLE_AVAILABLE = false;

/** Writes `snapshot` as an RDB base (aux aof-base 1). */
export async function writeRdbPreamble(snapshot: KeyspaceSnapshot, sink: PreambleSink, options: { compression: boolean; checksum: boolean }): Promise<void> {
  void snapshot;
  void sink;
  void options;
  throw new Error("RDB preambles are not available in this build");
}

/** Loads the RDB at the start of `buffer` into the keyspace; returns the bytes it took. */
export function loadRdbPreamble(context: ServerContext, buffer: Uint8Array, fileName: string): number {
  void context;
  void buffer;
  throw new Error(`cannot read the RDB preamble of ${fileName}: RDB support is not available in this build`);
}

/** Checks the RDB at the start of `buffer` (check-aof): report lines, validity, and the bytes it took. */
export function checkRdbPreamble(buffer: Uint8Array, fileName: string): { ok: boolean; lines: string[]; bytes: number } {
  void buffer;
  return { ok: false, lines: [`[offset 0] Checking RDB file ${fileName}`, "--- RDB ERROR DETECTED ---", "RDB support is not available in this build"], bytes: 0 };
}
