// Encodes one key's value in the RDB form Redis 7.0 writes: strings (int/LZF/raw), lists as
// quicklist 2 (listpack nodes), hashes and sorted sets as listpacks when small else plain types 4
// and 5, sets as intsets when all-integer and small else type 2.
import { ListValue, type StoredValue, type StreamValue, type ZSetValue } from "../../keyspace/values.ts";
import { writeStream } from "./stream-codec.ts";
import type { RdbByteWriter } from "./byte-writer.ts";
import { chooseRdbType, listNodeLimit, type RdbEncodingSettings } from "./encoding-choice.ts";
import {
  QUICKLIST_NODE_CONTAINER_PACKED,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET_LISTPACK,
} from "./format.ts";
import { encodeIntset, toIntsetValues } from "./intset.ts";
import { ListpackBuilder } from "./listpack.ts";

// Per-element overhead a listpack adds at most (encoding header + backlen), for node sizing.
const LISTPACK_ENTRY_OVERHEAD = 11;

/** The text Redis stores for a score in a listpack (d2string; integers become listpack integers). */
export function formatScore(score: number): string {
  if (score === Infinity) return "inf";
  if (score === -Infinity) return "-inf";
  if (Object.is(score, -0)) return "-0";
  return String(score);
}

/** Writes type byte, key and value of one entry. */
export function writeKeyValue(
  writer: RdbByteWriter,
  key: string,
  value: StoredValue,
  settings: RdbEncodingSettings,
): void {
  // Strings first, without the closure below: a BGSAVE of millions of string keys allocates nothing here.
  if (typeof value === "string") {
    writer.byte(RDB_TYPE_STRING);
    writer.rdbString(key);
    writer.rdbString(value);
    return;
  }
  let intsetValues: (number | bigint)[] | null = null;
  const type = chooseRdbType(value, settings, (set) => {
    intsetValues = toIntsetValues(set);
    return intsetValues !== null;
  });
  writer.byte(type);
  writer.rdbString(key);
  switch (type) {
    case RDB_TYPE_LIST_QUICKLIST_2:
      writeQuicklist(writer, value as ListValue, settings);
      return;
    case RDB_TYPE_HASH_LISTPACK: {
      const builder = new ListpackBuilder();
      for (const [field, fieldValue] of value as Map<string, string>) {
        builder.append(field);
        builder.append(fieldValue);
      }
      writer.rdbStringBytes(builder.finish());
      return;
    }
    case RDB_TYPE_HASH: {
      const hash = value as Map<string, string>;
      writer.rdbLength(hash.size);
      for (const [field, fieldValue] of hash) {
        writer.rdbString(field);
        writer.rdbString(fieldValue);
      }
      return;
    }
    case RDB_TYPE_STREAM_LISTPACKS_2:
      writeStream(writer, value as StreamValue);
      return;
    case RDB_TYPE_SET_INTSET:
      writer.rdbStringBytes(encodeIntset(intsetValues as unknown as (number | bigint)[]));
      return;
    case RDB_TYPE_SET: {
      const set = value as Set<string>;
      writer.rdbLength(set.size);
      for (const member of set) writer.rdbString(member);
      return;
    }
    case RDB_TYPE_ZSET_LISTPACK: {
      const builder = new ListpackBuilder();
      for (const entry of (value as ZSetValue).entries()) {
        builder.append(entry.member);
        builder.append(formatScore(entry.score));
      }
      writer.rdbStringBytes(builder.finish());
      return;
    }
    default: {
      // ZSET_2: members from the highest score to the lowest, as Redis 7.0 walks its skiplist.
      const entries = (value as ZSetValue).entries();
      writer.rdbLength(entries.length);
      for (let index = entries.length - 1; index >= 0; index -= 1) {
        const entry = entries[index]!;
        writer.rdbString(entry.member);
        writer.doubleLE(entry.score);
      }
    }
  }
}

// Quicklist 2: node count, then per node its container (2 = packed listpack) and the listpack blob.
function writeQuicklist(writer: RdbByteWriter, list: ListValue, settings: RdbEncodingSettings): void {
  const { maxBytes, maxElements } = listNodeLimit(settings.listMaxListpackSize);
  const nodes: Uint8Array[] = [];
  const builder = new ListpackBuilder();
  const length = list.length;
  for (let index = 0; index < length; index += 1) {
    const element = list.at(index)!;
    if (
      builder.elements > 0 &&
      (builder.elements >= maxElements || builder.sizeBytes + element.length + LISTPACK_ENTRY_OVERHEAD > maxBytes)
    ) {
      nodes.push(builder.finish());
    }
    builder.append(element);
  }
  if (builder.elements > 0) nodes.push(builder.finish());
  writer.rdbLength(nodes.length);
  for (const node of nodes) {
    writer.rdbLength(QUICKLIST_NODE_CONTAINER_PACKED);
    writer.rdbStringBytes(node);
  }
}
