// The commands that rebuild one key in a command-format base (Redis's rewriteAppendOnlyFileRio):
// SET for strings, RPUSH / SADD / ZADD / HSET for collections in batches of 64 items, then
// PEXPIREAT with the absolute expiry. Pure: entry in, AOF text out.
import { ListValue, StreamValue, ZSetValue, type StoredValue } from "../../keyspace/values.ts";
import { encodeStream } from "./stream-rewrite.ts";
import type { SnapshotEntry } from "../../keyspace/snapshot.ts";
import { encodeCommand } from "./command-encoder.ts";

/** AOF_REWRITE_ITEMS_PER_CMD: at most this many elements per variadic command. */
export const REWRITE_ITEMS_PER_COMMAND = 64;

/** A score as text ZADD parses back to the same double (inf/-inf spelled as Redis does). */
export function formatScore(score: number): string {
  if (score === Infinity) return "inf";
  if (score === -Infinity) return "-inf";
  return String(score);
}

// Emits `command key item...` in batches; `itemsPerElement` is 2 for ZADD/HSET pairs.
function encodeBatches(command: string, key: string, items: readonly string[], itemsPerElement: number): string {
  let out = "";
  const step = REWRITE_ITEMS_PER_COMMAND * itemsPerElement;
  for (let start = 0; start < items.length; start += step)
    out += encodeCommand([command, key, ...items.slice(start, start + step)]);
  return out;
}

// The commands that recreate `value` at `key`.
function encodeValue(key: string, value: StoredValue): string {
  if (typeof value === "string") return encodeCommand(["SET", key, value]);
  if (value instanceof ListValue) return encodeBatches("RPUSH", key, value.toArray(), 1);
  if (value instanceof Set) return encodeBatches("SADD", key, [...value], 1);
  if (value instanceof StreamValue) return encodeStream(key, value);
  if (value instanceof ZSetValue)
    return encodeBatches(
      "ZADD",
      key,
      value.entries().flatMap((entry) => [formatScore(entry.score), entry.member]),
      2,
    );
  const pairs: string[] = [];
  for (const [field, fieldValue] of value) pairs.push(field, fieldValue);
  return encodeBatches("HSET", key, pairs, 2);
}

/** The AOF text that recreates one snapshot entry, expiry included. */
export function encodeEntry(entry: SnapshotEntry): string {
  const out = encodeValue(entry.key, entry.value);
  return entry.expireAtMs === undefined ? out : out + encodeCommand(["PEXPIREAT", entry.key, String(entry.expireAtMs)]);
}
