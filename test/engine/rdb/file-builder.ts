// Builds RDB files by hand for tests: any version header, any opcode, the older value types that
// Redis 7.0 still reads (linked list, zipmap, ziplist, quicklist v1, string-score zsets), and
// deliberately broken files. Uses the engine's primitive writer; the structure is spelled out here.
import { RdbByteWriter } from "../../../src/engine/persistence/rdb/byte-writer.ts";
import { createCrc64, crc64Bytes, updateCrc64 } from "../../../src/engine/persistence/rdb/crc64.ts";
import * as F from "../../../src/engine/persistence/rdb/format.ts";
import { encodeIntset, toIntsetValues } from "../../../src/engine/persistence/rdb/intset.ts";
import { encodeListpack } from "../../../src/engine/persistence/rdb/listpack.ts";
import { encodeZiplist } from "../../../src/engine/persistence/rdb/ziplist.ts";
import { encodeZipmap } from "../../../src/engine/persistence/rdb/zipmap.ts";

/** A fluent RDB file builder. */
export class RdbFileBuilder {
  readonly writer: RdbByteWriter;

  constructor(options: { version?: number; compression?: boolean } = {}) {
    this.writer = new RdbByteWriter({ compression: options.compression ?? false });
    this.writer.latin1(`REDIS${String(options.version ?? 10).padStart(4, "0")}`);
  }

  aux(name: string, value: string): this {
    this.writer.byte(F.RDB_OPCODE_AUX);
    this.writer.rdbString(name);
    this.writer.rdbString(value);
    return this;
  }

  selectDb(index: number, sizes?: [number, number]): this {
    this.writer.byte(F.RDB_OPCODE_SELECTDB);
    this.writer.rdbLength(index);
    if (sizes !== undefined) {
      this.writer.byte(F.RDB_OPCODE_RESIZEDB);
      this.writer.rdbLength(sizes[0]);
      this.writer.rdbLength(sizes[1]);
    }
    return this;
  }

  expireMs(atMs: number): this {
    this.writer.byte(F.RDB_OPCODE_EXPIRETIME_MS);
    this.writer.int64LE(atMs);
    return this;
  }

  expireSeconds(atSec: number): this {
    this.writer.byte(F.RDB_OPCODE_EXPIRETIME);
    this.writer.uint32LE(atSec);
    return this;
  }

  idle(seconds: number): this {
    this.writer.byte(F.RDB_OPCODE_IDLE);
    this.writer.rdbLength(seconds);
    return this;
  }

  freq(value: number): this {
    this.writer.byte(F.RDB_OPCODE_FREQ);
    this.writer.byte(value);
    return this;
  }

  private head(type: number, key: string): RdbByteWriter {
    this.writer.byte(type);
    this.writer.rdbString(key);
    return this.writer;
  }

  string(key: string, value: string): this {
    this.head(F.RDB_TYPE_STRING, key).rdbString(value);
    return this;
  }

  /** Type 1: the linked list of Redis < 3.2. */
  linkedList(key: string, items: readonly string[]): this {
    const writer = this.head(F.RDB_TYPE_LIST, key);
    writer.rdbLength(items.length);
    for (const item of items) writer.rdbString(item);
    return this;
  }

  /** Type 2. */
  set(key: string, members: readonly string[]): this {
    const writer = this.head(F.RDB_TYPE_SET, key);
    writer.rdbLength(members.length);
    for (const member of members) writer.rdbString(member);
    return this;
  }

  /** Type 3: scores as length-prefixed text (253 nan, 254 +inf, 255 -inf). */
  zsetStringScores(key: string, entries: readonly (readonly [string, number])[]): this {
    const writer = this.head(F.RDB_TYPE_ZSET, key);
    writer.rdbLength(entries.length);
    for (const [member, score] of entries) {
      writer.rdbString(member);
      if (score === Infinity) writer.byte(F.RDB_DOUBLE_POS_INF);
      else if (score === -Infinity) writer.byte(F.RDB_DOUBLE_NEG_INF);
      else {
        const text = String(score);
        writer.byte(text.length);
        writer.latin1(text);
      }
    }
    return this;
  }

  /** Type 4. */
  hash(key: string, fields: readonly (readonly [string, string])[]): this {
    const writer = this.head(F.RDB_TYPE_HASH, key);
    writer.rdbLength(fields.length);
    for (const [field, value] of fields) {
      writer.rdbString(field);
      writer.rdbString(value);
    }
    return this;
  }

  /** Type 5. */
  zset2(key: string, entries: readonly (readonly [string, number])[]): this {
    const writer = this.head(F.RDB_TYPE_ZSET_2, key);
    writer.rdbLength(entries.length);
    for (const [member, score] of entries) {
      writer.rdbString(member);
      writer.doubleLE(score);
    }
    return this;
  }

  /** Type 9: zipmap of Redis < 2.6. */
  hashZipmap(key: string, fields: readonly (readonly [string, string])[]): this {
    this.head(F.RDB_TYPE_HASH_ZIPMAP, key).rdbStringBytes(encodeZipmap(fields));
    return this;
  }

  /** Type 10: ziplist list of Redis 2.6-3.0. */
  listZiplist(key: string, items: readonly string[]): this {
    this.head(F.RDB_TYPE_LIST_ZIPLIST, key).rdbStringBytes(encodeZiplist(items));
    return this;
  }

  /** Type 11. */
  setIntset(key: string, members: readonly string[]): this {
    this.head(F.RDB_TYPE_SET_INTSET, key).rdbStringBytes(encodeIntset(toIntsetValues(members) ?? []));
    return this;
  }

  /** Type 12: ziplist zset of Redis < 7.0 (member, score pairs, ascending). */
  zsetZiplist(key: string, entries: readonly (readonly [string, number])[]): this {
    this.head(F.RDB_TYPE_ZSET_ZIPLIST, key).rdbStringBytes(
      encodeZiplist(entries.flatMap(([member, score]) => [member, String(score)])),
    );
    return this;
  }

  /** Type 13: ziplist hash of Redis < 7.0. */
  hashZiplist(key: string, fields: readonly (readonly [string, string])[]): this {
    this.head(F.RDB_TYPE_HASH_ZIPLIST, key).rdbStringBytes(encodeZiplist(fields.flat()));
    return this;
  }

  /** Type 14: quicklist of ziplist nodes, Redis 3.2-6.2. */
  listQuicklist(key: string, nodes: readonly (readonly string[])[]): this {
    const writer = this.head(F.RDB_TYPE_LIST_QUICKLIST, key);
    writer.rdbLength(nodes.length);
    for (const node of nodes) writer.rdbStringBytes(encodeZiplist(node));
    return this;
  }

  /** Type 16. */
  hashListpack(key: string, fields: readonly (readonly [string, string])[]): this {
    this.head(F.RDB_TYPE_HASH_LISTPACK, key).rdbStringBytes(encodeListpack(fields.flat()));
    return this;
  }

  /** Type 18: quicklist 2 with explicit containers (1 plain, 2 packed). */
  listQuicklist2(key: string, nodes: readonly ({ plain: string } | { packed: readonly string[] })[]): this {
    const writer = this.head(F.RDB_TYPE_LIST_QUICKLIST_2, key);
    writer.rdbLength(nodes.length);
    for (const node of nodes) {
      if ("plain" in node) {
        writer.rdbLength(F.QUICKLIST_NODE_CONTAINER_PLAIN);
        writer.rdbString(node.plain);
      } else {
        writer.rdbLength(F.QUICKLIST_NODE_CONTAINER_PACKED);
        writer.rdbStringBytes(encodeListpack(node.packed));
      }
    }
    return this;
  }

  /** Raw bytes (for broken files). */
  raw(bytes: readonly number[]): this {
    this.writer.bytes(Uint8Array.from(bytes));
    return this;
  }

  /** EOF and the CRC64 trailer (zero when checksum is false). */
  finish(options: { checksum?: boolean } = {}): Buffer {
    this.writer.byte(F.RDB_OPCODE_EOF);
    const body = Buffer.from(this.writer.take());
    if (options.checksum === false) return Buffer.concat([body, Buffer.alloc(8)]);
    const crc = createCrc64();
    updateCrc64(crc, body);
    return Buffer.concat([body, Buffer.from(crc64Bytes(crc))]);
  }
}
