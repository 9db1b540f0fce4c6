// Decodes one value of any type Redis 7.0 reads (current and older encodings) into the engine's
// in-memory model. Module values have no in-memory form here and are refused.
import { ListValue, ZSetValue, type StoredValue } from "../../keyspace/values.ts";
import type { RdbByteReader } from "./byte-reader.ts";
import { RdbDecodeProblem } from "./errors.ts";
import {
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_HASH_ZIPMAP,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_LIST_ZIPLIST,
  RDB_TYPE_NAMES,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STREAM_LISTPACKS,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_TYPE_ZSET_ZIPLIST,
} from "./format.ts";
import { decodeIntset } from "./intset.ts";
import { readStream } from "./stream-codec.ts";
import { decodeListpack } from "./listpack.ts";
import { decodeZiplist } from "./ziplist.ts";
import { decodeZipmap } from "./zipmap.ts";

/** Whether a type byte is a value type this decoder knows (as opposed to an opcode or an unknown byte). */
export function isValueType(type: number): boolean {
  return type <= 19 && type !== 8;
}

/** Reads the value of `type` at the reader's position. Empty collections come back empty (the caller skips them). */
export function readValue(reader: RdbByteReader, type: number): StoredValue {
  switch (type) {
    case RDB_TYPE_STRING:
      return reader.string("a string value");
    case RDB_TYPE_LIST: {
      const count = reader.plainLength("list length");
      const items = new Array<string>(count);
      for (let index = 0; index < count; index += 1) items[index] = reader.string("a list element");
      return new ListValue(items);
    }
    case RDB_TYPE_SET: {
      const count = reader.plainLength("set size");
      const set = new Set<string>();
      for (let index = 0; index < count; index += 1) set.add(reader.string("a set member"));
      if (set.size !== count) throw new RdbDecodeProblem("duplicate set members");
      return set;
    }
    case RDB_TYPE_ZSET:
    case RDB_TYPE_ZSET_2: {
      const count = reader.plainLength("sorted set size");
      const pairs: [string, number][] = new Array<[string, number]>(count);
      for (let index = 0; index < count; index += 1) {
        const member = reader.string("a sorted set member");
        const scoreAt = reader.position;
        const score =
          type === RDB_TYPE_ZSET_2 ? reader.doubleLE("a sorted set score") : reader.stringDouble("a sorted set score");
        if (Number.isNaN(score)) throw new RdbDecodeProblem("sorted set score is NaN", scoreAt);
        pairs[index] = [member, score];
      }
      return buildZSet(pairs);
    }
    case RDB_TYPE_HASH: {
      const count = reader.plainLength("hash size");
      const hash = new Map<string, string>();
      for (let index = 0; index < count; index += 1) {
        const field = reader.string("a hash field");
        hash.set(field, reader.string("a hash value"));
      }
      if (hash.size !== count) throw new RdbDecodeProblem("duplicate hash fields");
      return hash;
    }
    case RDB_TYPE_HASH_ZIPMAP: {
      const pairs = decodeZipmap(reader.blob("a zipmap"));
      const hash = new Map(pairs);
      if (hash.size !== pairs.length) throw new RdbDecodeProblem("duplicate hash fields in zipmap");
      return hash;
    }
    case RDB_TYPE_LIST_ZIPLIST:
      return new ListValue(decodeZiplist(reader.blob("a list ziplist")));
    case RDB_TYPE_SET_INTSET:
      return new Set(decodeIntset(reader.blob("an intset")));
    case RDB_TYPE_ZSET_ZIPLIST:
      return zsetFromFlat(decodeZiplist(reader.blob("a sorted set ziplist")));
    case RDB_TYPE_HASH_ZIPLIST:
      return hashFromFlat(decodeZiplist(reader.blob("a hash ziplist")));
    case RDB_TYPE_LIST_QUICKLIST: {
      const nodes = reader.plainLength("quicklist node count");
      const items: string[] = [];
      for (let node = 0; node < nodes; node += 1) {
        for (const item of decodeZiplist(reader.blob("a quicklist ziplist node"))) items.push(item);
      }
      return new ListValue(items);
    }
    case RDB_TYPE_LIST_QUICKLIST_2: {
      const nodes = reader.plainLength("quicklist node count");
      const items: string[] = [];
      for (let node = 0; node < nodes; node += 1) {
        const containerAt = reader.position;
        const container = reader.plainLength("quicklist node container");
        if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
          items.push(reader.string("a plain quicklist node"));
        } else if (container === QUICKLIST_NODE_CONTAINER_PACKED) {
          for (const item of decodeListpack(reader.blob("a quicklist listpack node"))) items.push(item);
        } else throw new RdbDecodeProblem(`quicklist node has unknown container ${container}`, containerAt);
      }
      return new ListValue(items);
    }
    case RDB_TYPE_HASH_LISTPACK:
      return hashFromFlat(decodeListpack(reader.blob("a hash listpack")));
    case RDB_TYPE_ZSET_LISTPACK:
      return zsetFromFlat(decodeListpack(reader.blob("a sorted set listpack")));
    case RDB_TYPE_STREAM_LISTPACKS:
    case RDB_TYPE_STREAM_LISTPACKS_2:
      return readStream(reader, type);
    default:
      throw new RdbDecodeProblem(
        `values of type ${type} (${RDB_TYPE_NAMES[type] ?? "unknown"}) are not supported: the engine stores strings, lists, hashes, sets, sorted sets and streams`,
        reader.position - 1,
      );
  }
}

function hashFromFlat(flat: readonly string[]): Map<string, string> {
  if (flat.length % 2 !== 0) throw new RdbDecodeProblem(`hash has an odd number of elements (${flat.length})`);
  const hash = new Map<string, string>();
  for (let index = 0; index < flat.length; index += 2) hash.set(flat[index]!, flat[index + 1]!);
  if (hash.size * 2 !== flat.length) throw new RdbDecodeProblem("duplicate hash fields");
  return hash;
}

function zsetFromFlat(flat: readonly string[]): ZSetValue {
  if (flat.length % 2 !== 0) throw new RdbDecodeProblem(`sorted set has an odd number of elements (${flat.length})`);
  const pairs: [string, number][] = [];
  for (let index = 0; index < flat.length; index += 2) {
    const text = flat[index + 1]!;
    const score = parseScore(text);
    if (score === null) throw new RdbDecodeProblem(`sorted set score '${text}' is not a number`);
    pairs.push([flat[index]!, score]);
  }
  return buildZSet(pairs);
}

// strtod-like: decimal and exponent forms, inf/-inf (Redis's d2string output).
function parseScore(text: string): number | null {
  const lower = text.toLowerCase();
  if (lower === "inf" || lower === "+inf" || lower === "infinity") return Infinity;
  if (lower === "-inf" || lower === "-infinity") return -Infinity;
  if (text === "" || text.trim() !== text) return null;
  const value = Number(text);
  return Number.isNaN(value) ? null : value;
}

// Inserting in ascending (score, member) order keeps each ZSetValue.add an append.
function buildZSet(pairs: [string, number][]): ZSetValue {
  pairs.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const zset = new ZSetValue();
  for (const [member, score] of pairs) {
    if (!zset.add(member, score)) throw new RdbDecodeProblem("duplicate sorted set members");
  }
  if (zset.length !== pairs.length) throw new RdbDecodeProblem("duplicate sorted set members");
  return zset;
}
