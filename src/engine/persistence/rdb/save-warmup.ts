// Runs the background-save path once at boot over a small synthetic data set, into a sink that discards the
// bytes, so that the first BGSAVE or AOF rewrite of the process does not pay for V8's lazy compilation.
// V8 parses and compiles a function when it is first called: the first slice of the first BGSAVE called
// dozens of encoder functions for the first time and stalled the event loop for 10-15 ms on this project's
// VM (perf showed V8's parser and bytecode generator on the main thread), and the CRC and encoder loops ran
// in unoptimised code for the first few hundred ms. Here that cost is paid while the server still answers
// LOADING, before it accepts commands. The data set holds every type in its small and large encodings and a
// key with an expiry; its few KB go through the same final flush and piecewise checksum as a BGSAVE's chunks.
import { Keyspace } from "../../keyspace/keyspace.ts";
import { ListValue, ZSetValue } from "../../keyspace/values.ts";
import { writeSnapshotRdb, type RdbSink } from "./snapshot-writer.ts";

/** How many keys of each kind the warm-up writes: every function runs, none runs long (15-20 ms at boot, mostly compiling). */
const KEYS_PER_KIND = 2;
/** Elements of a "large" collection: over Redis 7.0's listpack and intset limits (128, 512). */
const LARGE_ELEMENTS = 600;
/** Entries of a small collection (listpack or intset encoded). */
const SMALL_ELEMENTS = 8;

// The synthetic data set: strings (integer, short, compressible, incompressible), lists, hashes, sets
// (intset and strings) and sorted sets, one large and one small of each, and one string with an expiry.
function buildWarmupKeyspace(nowMs: number): Keyspace {
  const keyspace = new Keyspace(1, () => nowMs);
  const database = keyspace.database(0);
  const members = (count: number, prefix: string): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  for (let i = 0; i < KEYS_PER_KIND; i++) {
    const size = i === 0 ? LARGE_ELEMENTS : SMALL_ELEMENTS;
    const noise = (i * 2654435761) >>> 0;
    database.set(`int:${i}`, String(noise));
    database.set(`str:${i}`, `value-${noise}`);
    database.set(`zip:${i}`, "abcd".repeat(16 + (i % 8)));
    database.set(
      `raw:${i}`,
      Array.from({ length: 48 }, (_, j) => String.fromCharCode((noise >>> (j % 24)) & 0xff)).join(""),
    );
    database.set(`list:${i}`, new ListValue(members(size, "item-")));
    database.set(`hash:${i}`, new Map(members(size, "field-").map((field, j) => [field, String(j)])));
    database.set(`intset:${i}`, new Set(members(size, "")));
    database.set(`set:${i}`, new Set(members(size, "member-")));
    const zset = new ZSetValue();
    for (let j = 0; j < size; j++) zset.add(`member-${j}`, j / 3);
    database.set(`zset:${i}`, zset);
    if (i === 0) database.setExpire(`str:${i}`, nowMs + 3_600_000);
  }
  return keyspace;
}

/** The sink of the warm-up: the bytes are dropped. */
const DISCARD: RdbSink = { write: () => undefined, releasesChunks: true };

/**
 * Writes the synthetic data set through the background writer, with compression and checksum, into `sink`
 * (default: dropped; tests pass one that keeps the bytes). Resolves with the number of keys written.
 */
export async function warmUpSavePath(sink: RdbSink = DISCARD): Promise<number> {
  const nowMs = Date.now();
  const keyspace = buildWarmupKeyspace(nowMs);
  const result = await writeSnapshotRdb(keyspace.beginSnapshot(), sink, {
    compression: true,
    checksum: true,
    keyspace,
    nowMs,
  });
  return result.keys;
}
