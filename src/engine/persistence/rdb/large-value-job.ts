// Encodes one big collection (a list, hash, set or sorted set of thousands of elements) a piece at
// a time, so a single huge key does not hold the event loop for the whole of its encoding.
// The value is read live; just before anything changes it (write-guard.ts calls detach()), the
// elements not yet written are copied, so the file still holds the value as it was when emitted.
import type { ListValue, StoredValue, ZSetValue } from "../../keyspace/values.ts";
import type { ZSetEntry } from "../../keyspace/zset-value.ts";
import type { RdbByteWriter } from "./byte-writer.ts";
import { listNodeLimit, type RdbEncodingSettings } from "./encoding-choice.ts";
import {
  QUICKLIST_NODE_CONTAINER_PACKED,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_TYPE_HASH,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_SET,
  RDB_TYPE_ZSET_2,
} from "./format.ts";
import { ListpackBuilder } from "./listpack.ts";

/** Collections with more elements than this are written by a LargeValueJob. */
export const LARGE_VALUE_ELEMENTS = 4096;
// Elements between two checks of the stop condition.
const CHECK_EVERY = 128;
// Per-element overhead a listpack adds at most, for node sizing (as value-encoder.ts).
const LISTPACK_ENTRY_OVERHEAD = 11;

/** Whether a value of this on-disk type is written piece by piece. */
export function isLargeValue(value: StoredValue, type: number): boolean {
  if (typeof value === "string") return false;
  const size = value instanceof Map || value instanceof Set ? value.size : value.length;
  return (
    size > LARGE_VALUE_ELEMENTS &&
    (type === RDB_TYPE_LIST_QUICKLIST_2 || type === RDB_TYPE_HASH || type === RDB_TYPE_SET || type === RDB_TYPE_ZSET_2)
  );
}

/** A resumable writer of one big key. */
export class LargeValueJob {
  readonly value: StoredValue;
  private readonly type: number;
  private readonly key: string;
  private readonly expireAtMs: number | undefined;
  private readonly settings: RdbEncodingSettings;
  private started = false;
  // Live sources, replaced by copies on detach().
  private iterator: Iterator<string> | Iterator<[string, string]> | null = null;
  private copied: (string | [string, string] | ZSetEntry)[] | null = null;
  private copiedIndex = 0;
  private index = 0;
  // Lists: listpack nodes built first (the node count precedes them), then written out.
  private readonly nodes: Uint8Array[] = [];
  private builder: ListpackBuilder | null = null;
  private nodesWritten = -1;

  constructor(options: {
    key: string;
    value: StoredValue;
    type: number;
    expireAtMs: number | undefined;
    settings: RdbEncodingSettings;
  }) {
    this.key = options.key;
    this.value = options.value;
    this.type = options.type;
    this.expireAtMs = options.expireAtMs;
    this.settings = options.settings;
  }

  /** Copies what is left to write (called just before the live value changes). */
  detach(): void {
    if (this.copied !== null) return;
    const value = this.value;
    if (this.type === RDB_TYPE_LIST_QUICKLIST_2) {
      const list = value as ListValue;
      this.copied = list.slice(this.index, list.length - 1);
    } else if (this.type === RDB_TYPE_ZSET_2) {
      // Written from the highest rank down: what is left is ranks 0..index.
      const entries = (value as ZSetValue).entries();
      this.copied = this.started ? entries.slice(0, this.index + 1) : entries.slice();
    } else {
      const rest: (string | [string, string])[] = [];
      const iterator = this.iterator ?? (value as Map<string, string> | Set<string>)[Symbol.iterator]();
      for (let next = iterator.next(); next.done !== true; next = iterator.next()) rest.push(next.value);
      this.copied = rest;
    }
    this.copiedIndex = 0;
  }

  /** Writes until done (true) or until `shouldStop` says to pause (false). */
  step(writer: RdbByteWriter, shouldStop: () => boolean): boolean {
    if (!this.started) this.start(writer);
    switch (this.type) {
      case RDB_TYPE_LIST_QUICKLIST_2:
        return this.stepList(writer, shouldStop);
      case RDB_TYPE_ZSET_2:
        return this.stepZSet(writer, shouldStop);
      default:
        return this.stepMapOrSet(writer, shouldStop);
    }
  }

  private start(writer: RdbByteWriter): void {
    this.started = true;
    if (this.expireAtMs !== undefined) {
      writer.byte(RDB_OPCODE_EXPIRETIME_MS);
      writer.millisecondsLE(this.expireAtMs);
    }
    writer.byte(this.type);
    writer.rdbString(this.key);
    const value = this.value;
    if (this.type === RDB_TYPE_LIST_QUICKLIST_2) {
      this.builder = new ListpackBuilder();
      return;
    }
    if (this.type === RDB_TYPE_ZSET_2) {
      const length = this.copied === null ? (value as ZSetValue).length : this.copied.length;
      writer.rdbLength(length);
      this.index = length - 1;
      return;
    }
    writer.rdbLength(this.copied === null ? (value as Map<string, string> | Set<string>).size : this.copied.length);
    if (this.copied === null) this.iterator = (value as Map<string, string> | Set<string>)[Symbol.iterator]();
  }

  private stepMapOrSet(writer: RdbByteWriter, shouldStop: () => boolean): boolean {
    const isHash = this.type === RDB_TYPE_HASH;
    for (let count = 1; ; count += 1) {
      let item: string | [string, string] | undefined;
      if (this.copied !== null) item = this.copied[this.copiedIndex++] as string | [string, string] | undefined;
      else {
        const next = (this.iterator as Iterator<string | [string, string]>).next();
        item = next.done === true ? undefined : next.value;
      }
      if (item === undefined) return true;
      if (isHash) {
        writer.rdbString((item as [string, string])[0]);
        writer.rdbString((item as [string, string])[1]);
      } else writer.rdbString(item as string);
      if (count % CHECK_EVERY === 0 && shouldStop()) return false;
    }
  }

  // ZSET_2 from the highest score to the lowest, as Redis 7.0 writes it.
  private stepZSet(writer: RdbByteWriter, shouldStop: () => boolean): boolean {
    for (let count = 1; ; count += 1) {
      let entry: ZSetEntry | undefined;
      if (this.copied !== null) {
        const position = this.copied.length - 1 - this.copiedIndex;
        entry = position >= 0 ? (this.copied[position] as ZSetEntry) : undefined;
        this.copiedIndex += 1;
      } else {
        entry = this.index >= 0 ? (this.value as ZSetValue).at(this.index) : undefined;
        this.index -= 1;
      }
      if (entry === undefined) return true;
      writer.rdbString(entry.member);
      writer.doubleLE(entry.score);
      if (count % CHECK_EVERY === 0 && shouldStop()) return false;
    }
  }

  private stepList(writer: RdbByteWriter, shouldStop: () => boolean): boolean {
    if (this.nodesWritten < 0) {
      const { maxBytes, maxElements } = listNodeLimit(this.settings.listMaxListpackSize);
      const builder = this.builder as ListpackBuilder;
      const list = this.value as ListValue;
      for (let count = 1; ; count += 1) {
        let element: string | undefined;
        if (this.copied !== null) element = this.copied[this.copiedIndex++] as string | undefined;
        else {
          element = this.index < list.length ? list.at(this.index) : undefined;
          this.index += 1;
        }
        if (element === undefined) break;
        if (
          builder.elements > 0 &&
          (builder.elements >= maxElements || builder.sizeBytes + element.length + LISTPACK_ENTRY_OVERHEAD > maxBytes)
        ) {
          this.nodes.push(builder.finish());
        }
        builder.append(element);
        if (count % CHECK_EVERY === 0 && shouldStop()) return false;
      }
      if (builder.elements > 0) this.nodes.push(builder.finish());
      writer.rdbLength(this.nodes.length);
      this.nodesWritten = 0;
    }
    while (this.nodesWritten < this.nodes.length) {
      writer.rdbLength(QUICKLIST_NODE_CONTAINER_PACKED);
      writer.rdbStringBytes(this.nodes[this.nodesWritten] as Uint8Array);
      this.nodesWritten += 1;
      if (this.nodesWritten % 16 === 0 && shouldStop()) return false;
    }
    return true;
  }
}
