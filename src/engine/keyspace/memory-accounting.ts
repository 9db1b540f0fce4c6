// "Used memory" for maxmemory: an estimate of what Redis 7.0 would allocate for the data set (per
// key: dict entry, key and value objects; per value: its bytes and per-element overheads), plus
// Redis's empty-server baseline. V8's heap figures cannot drive eviction (freed values stay counted
// until a GC runs, so evicting would not lower them), hence an estimate kept up to date per write:
// the write hook records a key's bytes before it changes, settle() adds the difference after.
// Collections are estimated in O(1) from their size and a sample of their first elements.
// See docs/engine.md ("Used memory and maxmemory").
import type { Database } from "./database.ts";
import { ListValue, StreamValue, ZSetValue, type StoredValue } from "./values.ts";

/** used_memory of an empty redis-server 7.0 (what a fresh instance reports, about 0.85 MiB). */
export const EMPTY_SERVER_BYTES = 880_000;

// Redis's per-key cost: dictEntry (24) + key sds header (~3) + value robj (16), allocator-rounded.
const KEY_OVERHEAD = 48;
// Per element of a hash table encoded collection (dictEntry + sds headers), and per element of a
// list (quicklist/listpack entry).
const HASH_ENTRY_OVERHEAD = 40;
const SET_ENTRY_OVERHEAD = 32;
const ZSET_ENTRY_OVERHEAD = 56;
const LIST_ENTRY_OVERHEAD = 11;
const COLLECTION_HEADER = 64;
const SAMPLED_ELEMENTS = 8;

// Average length of the first (up to) SAMPLED_ELEMENTS strings of an iterable.
function averageLength(items: Iterable<string>): number {
  let count = 0;
  let total = 0;
  for (const item of items) {
    total += item.length;
    count += 1;
    if (count === SAMPLED_ELEMENTS) break;
  }
  return count === 0 ? 0 : total / count;
}

function firstEntries(map: Map<string, string>): Iterable<string> {
  const out: string[] = [];
  for (const [field, value] of map) {
    out.push(field + value);
    if (out.length === SAMPLED_ELEMENTS) break;
  }
  return out;
}

/** Estimated bytes Redis would use for a value (O(1): collections are sampled). */
export function estimateStoredBytes(value: StoredValue): number {
  if (typeof value === "string") return 16 + value.length;
  if (value instanceof Map)
    return COLLECTION_HEADER + value.size * (HASH_ENTRY_OVERHEAD + averageLength(firstEntries(value)));
  if (value instanceof Set) return COLLECTION_HEADER + value.size * (SET_ENTRY_OVERHEAD + averageLength(value));
  if (value instanceof ZSetValue)
    return COLLECTION_HEADER + value.length * (ZSET_ENTRY_OVERHEAD + averageLength(value.scores.keys()));
  // Streams: their nodes' listpacks (the first one as the sample) plus the groups' pending entries.
  if (value instanceof StreamValue)
    return COLLECTION_HEADER + value.nodes.length * (32 + (value.nodes[0]?.bytes ?? 0)) + streamPendingBytes(value);
  if (value instanceof ListValue) {
    const sample: string[] = [];
    for (let index = 0; index < Math.min(SAMPLED_ELEMENTS, value.length); index += 1)
      sample.push(value.at(index) ?? "");
    return COLLECTION_HEADER + value.length * (LIST_ENTRY_OVERHEAD + averageLength(sample));
  }
  return COLLECTION_HEADER;
}

// Pending entries of a stream's groups (a NACK plus its place in two radix trees each).
function streamPendingBytes(stream: StreamValue): number {
  let bytes = 0;
  if (stream.groups !== null)
    for (const group of stream.groups.values()) bytes += COLLECTION_HEADER + group.pel.size * 64;
  return bytes;
}

/** Estimated bytes of one key with its value (0 when absent). */
export function estimateKeyBytes(key: string, value: StoredValue | undefined): number {
  return value === undefined ? 0 : KEY_OVERHEAD + key.length + estimateStoredBytes(value);
}

/** The running estimate of the data set's bytes; inactive (free) until maxmemory is set. */
export class MemoryAccounting {
  private active = false;
  private total = 0;
  private stale = true;
  private readonly pending = new Map<Database, Map<string, number>>();
  private readonly databases: readonly Database[];

  constructor(databases: readonly Database[]) {
    this.databases = databases;
  }

  /** Whether writes are being accounted (maxmemory > 0). */
  get isActive(): boolean {
    return this.active;
  }

  /** Turns accounting on (a full count at the next reading) or off. */
  setActive(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    this.pending.clear();
    this.stale = true;
  }

  /** Write hook: remembers the key's bytes before its first change since the last settle. */
  beforeWrite(database: Database, key: string): void {
    if (!this.active || this.stale) return;
    let keys = this.pending.get(database);
    if (keys === undefined) {
      keys = new Map();
      this.pending.set(database, keys);
    }
    if (!keys.has(key)) keys.set(key, estimateKeyBytes(key, database.dict.get(key)));
  }

  /** A whole database was replaced (FLUSHDB, FLUSHALL, SWAPDB): count again at the next reading. */
  invalidate(): void {
    if (this.active) this.stale = true;
  }

  /** The data set's estimated bytes now. */
  datasetBytes(): number {
    if (this.stale) {
      this.pending.clear();
      this.total = 0;
      for (const database of this.databases) {
        for (const [key, value] of database.dict) this.total += estimateKeyBytes(key, value);
      }
      this.stale = false;
      return this.total;
    }
    for (const [database, keys] of this.pending) {
      for (const [key, before] of keys) this.total += estimateKeyBytes(key, database.dict.get(key)) - before;
    }
    this.pending.clear();
    return this.total;
  }

  /** used_memory as maxmemory compares it: the empty-server baseline plus the data set. */
  usedBytes(): number {
    return EMPTY_SERVER_BYTES + this.datasetBytes();
  }
}
