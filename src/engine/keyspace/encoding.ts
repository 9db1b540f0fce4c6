// Redis 7.0's object encodings: what OBJECT ENCODING reports and what the RDB writer chooses.
// Compact encodings (listpack, intset) convert one way to the big ones once a threshold is crossed,
// as in Redis; commands report growth with note*() so a value that shrank keeps its big encoding.
import type { ServerSettings } from "../config/settings.ts";
import { ListValue, StreamValue, ZSetValue, type StoredValue } from "./values.ts";

/** The encodings Redis 7.0 prints. */
export type Encoding =
  | "int"
  | "embstr"
  | "raw"
  | "listpack"
  | "hashtable"
  | "intset"
  | "skiplist"
  | "quicklist"
  | "stream";

/** The thresholds that decide encodings (redis.conf names: hash-max-listpack-entries, ...). */
export type EncodingSettings = Pick<
  ServerSettings,
  | "hashMaxListpackEntries"
  | "hashMaxListpackValue"
  | "zsetMaxListpackEntries"
  | "zsetMaxListpackValue"
  | "setMaxIntsetEntries"
>;

// Values that crossed a threshold at some point: they keep the big encoding even if they shrink.
const converted = new WeakSet<object>();

const INT64_TEXT = /^-?[1-9]\d{0,18}$|^0$/;

/** Whether text is an integer Redis stores as a long long (string2ll: canonical, in int64 range). */
export function isInt64Text(text: string): boolean {
  if (text.length > 20 || !INT64_TEXT.test(text)) return false;
  if (text.length < 19) return true;
  const value = BigInt(text);
  return value <= 9223372036854775807n && value >= -9223372036854775808n;
}

/** The encoding Redis 7.0 would report for this value. */
export function encodingOf(value: StoredValue, settings: EncodingSettings): Encoding {
  if (typeof value === "string") {
    if (value.length <= 20 && isInt64Text(value)) return "int";
    return value.length <= 44 ? "embstr" : "raw";
  }
  if (value instanceof ListValue) return "quicklist";
  if (value instanceof StreamValue) return "stream";
  if (converted.has(value)) return value instanceof Map ? "hashtable" : value instanceof Set ? "hashtable" : "skiplist";
  if (value instanceof Map) return isCompactHash(value, settings) ? "listpack" : "hashtable";
  if (value instanceof Set) return isIntset(value, settings) ? "intset" : "hashtable";
  return isCompactZSet(value, settings) ? "listpack" : "skiplist";
}

/** Whether the value uses a compact encoding (listpack/intset): HSCAN/SSCAN/ZSCAN reply in one call then. */
export function isCompact(value: StoredValue, settings: EncodingSettings): boolean {
  const encoding = encodingOf(value, settings);
  return encoding === "listpack" || encoding === "intset";
}

/** After a hash write with these field/value strings: converts (one way) when a threshold is crossed. */
export function noteHashWrite(
  hash: Map<string, string>,
  settings: EncodingSettings,
  written: readonly string[],
  from = 0,
): void {
  if (converted.has(hash)) return;
  if (hash.size > settings.hashMaxListpackEntries) {
    converted.add(hash);
    return;
  }
  for (let index = from; index < written.length; index += 1) {
    if ((written[index] as string).length > settings.hashMaxListpackValue) {
      converted.add(hash);
      return;
    }
  }
}

/** After members were added to a set: converts (one way) when a threshold is crossed. */
export function noteSetAdd(set: Set<string>, settings: EncodingSettings, member: string): void {
  if (converted.has(set)) return;
  if (set.size > settings.setMaxIntsetEntries || !isInt64Text(member)) converted.add(set);
}

/** After members were added to a sorted set: converts (one way) when a threshold is crossed. */
export function noteZSetAdd(zset: ZSetValue, settings: EncodingSettings, member: string): void {
  if (converted.has(zset)) return;
  if (zset.length > settings.zsetMaxListpackEntries || member.length > settings.zsetMaxListpackValue)
    converted.add(zset);
}

/** Forces the big encoding (ZADD with more pairs than zset-max-listpack-entries creates a skiplist). */
export function markConverted(value: Map<string, string> | Set<string> | ZSetValue): void {
  converted.add(value);
}

/** Copies the encoding history to a duplicate (COPY keeps the source's encoding). */
export function inheritEncoding(from: StoredValue, to: StoredValue): void {
  if (typeof from !== "string" && typeof to !== "string" && converted.has(from)) converted.add(to);
}

function isCompactHash(hash: Map<string, string>, settings: EncodingSettings): boolean {
  if (hash.size > settings.hashMaxListpackEntries) return false;
  const limit = settings.hashMaxListpackValue;
  for (const [field, value] of hash) if (field.length > limit || value.length > limit) return false;
  return true;
}

function isIntset(set: Set<string>, settings: EncodingSettings): boolean {
  if (set.size > settings.setMaxIntsetEntries) return false;
  for (const member of set) if (!isInt64Text(member)) return false;
  return true;
}

function isCompactZSet(zset: ZSetValue, settings: EncodingSettings): boolean {
  if (zset.length > settings.zsetMaxListpackEntries) return false;
  const limit = settings.zsetMaxListpackValue;
  for (const entry of zset.entries()) if (entry.member.length > limit) return false;
  return true;
}
