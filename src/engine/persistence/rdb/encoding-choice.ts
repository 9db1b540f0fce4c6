// Which on-disk type the writer uses for a value: the one matching the in-memory encoding Redis 7.0
// would have (listpack/intset under the configured thresholds, the plain types above them).
import { encodingOf } from "../../keyspace/encoding.ts";
import { ListValue, StreamValue, type StoredValue } from "../../keyspace/values.ts";
import {
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
} from "./format.ts";

/** The thresholds that choose compact encodings (redis.conf names in comments). */
export interface RdbEncodingSettings {
  /** hash-max-listpack-entries */
  readonly hashMaxListpackEntries: number;
  /** hash-max-listpack-value */
  readonly hashMaxListpackValue: number;
  /** zset-max-listpack-entries */
  readonly zsetMaxListpackEntries: number;
  /** zset-max-listpack-value */
  readonly zsetMaxListpackValue: number;
  /** set-max-intset-entries */
  readonly setMaxIntsetEntries: number;
  /** list-max-listpack-size (negative: -1..-5 = 4..64 KB per node; positive: elements per node) */
  readonly listMaxListpackSize: number;
}

/** Redis 7.0's defaults. */
export const DEFAULT_RDB_ENCODING_SETTINGS: RdbEncodingSettings = {
  hashMaxListpackEntries: 128,
  hashMaxListpackValue: 64,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  listMaxListpackSize: -2,
};

/**
 * The RDB type byte the writer uses for this value: the in-memory encoding Redis 7.0 would have
 * (keyspace/encoding.ts, which also remembers values that grew past a threshold and shrank back).
 * `isIntset` confirms an intset (the writer needs the parsed integers anyway).
 */
export function chooseRdbType(
  value: StoredValue,
  settings: RdbEncodingSettings,
  isIntset: (set: Set<string>) => boolean,
): number {
  if (typeof value === "string") return RDB_TYPE_STRING;
  if (value instanceof ListValue) return RDB_TYPE_LIST_QUICKLIST_2;
  if (value instanceof StreamValue) return RDB_TYPE_STREAM_LISTPACKS_2;
  const encoding = encodingOf(value, settings);
  if (value instanceof Map) return encoding === "listpack" ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH;
  if (value instanceof Set) return encoding === "intset" && isIntset(value) ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET;
  return encoding === "listpack" ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2;
}

/** Bytes a list node's listpack may hold (list-max-listpack-size), or elements when positive. */
export function listNodeLimit(setting: number): { maxBytes: number; maxElements: number } {
  // Redis: negative fill -1..-5 selects 4, 8, 16, 32, 64 KB; positive fill counts elements but
  // a node never grows past the 8 KB safety limit.
  if (setting < 0) {
    const sizes = [4096, 8192, 16384, 32768, 65536];
    return { maxBytes: sizes[Math.min(-setting, 5) - 1] ?? 8192, maxElements: Number.MAX_SAFE_INTEGER };
  }
  return { maxBytes: 8192, maxElements: Math.max(1, setting) };
}
