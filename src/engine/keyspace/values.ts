// The in-memory value model: what a key can hold. On-disk RDB types are separate (rdb/format.ts);
// these kinds may change, RDB type bytes may not.
import { ListValue } from "./list-value.ts";
import { ZSetValue } from "./zset-value.ts";
import { StreamValue } from "./stream-value.ts";

export { ListValue } from "./list-value.ts";
export { ZSetValue } from "./zset-value.ts";
export type { ZSetEntry } from "./zset-value.ts";
export { StreamValue } from "./stream-value.ts";

/** A hash: field → value. */
export type HashValue = Map<string, string>;
/** A set of members. */
export type SetValue = Set<string>;

/** Everything a key can hold. Strings are latin1 (one char per byte), binary-safe. */
export type StoredValue = string | ListValue | HashValue | SetValue | ZSetValue | StreamValue;

/** The names TYPE prints. */
export type ValueKind = "string" | "list" | "hash" | "set" | "zset" | "stream";

/** The kind of a stored value. */
export function kindOf(value: StoredValue): ValueKind {
  if (typeof value === "string") return "string";
  if (value instanceof Map) return "hash";
  if (value instanceof Set) return "set";
  if (value instanceof ListValue) return "list";
  if (value instanceof StreamValue) return "stream";
  return "zset";
}

/** A deep copy, for copy-on-write snapshots (strings are immutable and shared). */
export function cloneValue(value: StoredValue): StoredValue {
  if (typeof value === "string") return value;
  if (value instanceof Map) return new Map(value);
  if (value instanceof Set) return new Set(value);
  return value.clone();
}

// Streams: each node's listpack bytes plus per-entry object overhead, and the groups' pending entries.
function estimateStreamBytes(stream: StreamValue): number {
  let bytes = 0;
  for (const node of stream.nodes) bytes += 64 + node.bytes + node.entries.length * 48;
  for (const group of stream.groups?.values() ?? []) {
    bytes += 64 + group.pel.size * 64;
    for (const consumer of group.consumers.values()) bytes += 64 + consumer.name.length + consumer.pel.size * 16;
  }
  return bytes;
}

// Rough heap bytes of a string: header plus one byte per character (Latin-1, as stored values are).
const stringBytes = (text: string): number => 16 + text.length;

/**
 * Approximate heap bytes of a value (strings, collection entries and their headers). Snapshots use it to
 * report what their copy-on-write kept alive, Redis's *_cow_size fields; it is an estimate, not a measure.
 */
export function estimateValueBytes(value: StoredValue): number {
  if (typeof value === "string") return stringBytes(value);
  let bytes = 64;
  if (value instanceof Map) for (const [field, item] of value) bytes += 32 + stringBytes(field) + stringBytes(item);
  else if (value instanceof Set) for (const member of value) bytes += 24 + stringBytes(member);
  else if (value instanceof ListValue) for (const item of value.toArray()) bytes += 8 + stringBytes(item);
  else if (value instanceof StreamValue) bytes += estimateStreamBytes(value);
  else for (const member of value.scores.keys()) bytes += 56 + stringBytes(member);
  return bytes;
}

/** Whether a value is an empty collection (Redis deletes such keys). */
export function isEmptyCollection(value: StoredValue): boolean {
  if (typeof value === "string") return false;
  if (value instanceof Map || value instanceof Set) return value.size === 0;
  if (value instanceof StreamValue) return false;
  return value.length === 0;
}

/** Number of elements (1 for strings). */
export function sizeOf(value: StoredValue): number {
  if (typeof value === "string") return 1;
  if (value instanceof Map || value instanceof Set) return value.size;
  return value.length;
}
