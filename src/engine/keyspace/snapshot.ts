// Point-in-time snapshots without fork: key-level copy-on-write over the live dicts.
//
// A snapshot captures, per database, the dict and expires Map objects that exist when it begins,
// and walks them with live Map iterators in small slices. Before any key of a captured dict
// changes (Database calls the keyspace's beforeWrite hook), the snapshot preserves the old value
// and TTL unless the walk has already emitted that key. When the walk reaches a preserved key it
// emits the preserved value; keys created after the start (preserved as ABSENT) are skipped;
// preserved keys that were deleted and never reached are emitted at the end. FLUSHDB and SWAPDB
// replace a database's Maps instead of clearing them, so the captured Maps stay frozen.
// The walk goes shard by shard through the sharded dict. Entering a shard, it copies the shard's keys,
// values and expiries into reused arrays (taking the preserved value instead where a key was preserved), and
// emits from those. A copied string is immutable and the copy holds the expiry, so from then on writes to
// those keys need no copy-on-write; only collections (changed in place) stay guarded until emitted. So
// "already walked" is a position (the key's shard was entered) plus a small set of the entered shard's
// collections not yet emitted: no per-key record of millions of keys. Walking a Map with a live iterator
// instead allocated an iterator result and an entry array per key (64 bytes, a scavenge per 60k keys on
// top of the load's) plus a growing set of emitted keys per shard.
// Result: the entries emitted are exactly the data set at the moment the snapshot began.
import { SHARD_COUNT, ShardedMap, shardOf } from "./sharded-map.ts";
import { cloneValue, estimateValueBytes, type StoredValue } from "./values.ts";

/** One key of a snapshot. */
export interface SnapshotEntry {
  readonly key: string;
  readonly value: StoredValue;
  /** Absolute expiry in unix ms, or undefined. */
  readonly expireAtMs: number | undefined;
}

/** Receives one key of a snapshot (three arguments rather than an entry object: a walk emits millions). */
export type SnapshotEmit = (key: string, value: StoredValue, expireAtMs: number | undefined) => void;

/** One database's part of a snapshot, in the order databases are emitted. */
export interface SnapshotDatabaseInfo {
  readonly index: number;
  /** Key count and expires count at the start (for RESIZEDB). */
  readonly keyCount: number;
  readonly expiresCount: number;
}

const ABSENT = Symbol("absent");

interface Preserved {
  value: StoredValue | typeof ABSENT;
  expireAtMs: number | undefined;
  /** Set once the walk emitted this key (or skipped it as created after the start). */
  emitted: boolean;
}

interface CapturedDatabase {
  readonly info: SnapshotDatabaseInfo;
  readonly dict: ShardedMap<StoredValue>;
  readonly expires: ShardedMap<number>;
  readonly preserved: ShardedMap<Preserved>;
  /** The dict shard entered last (-1 before the walk, SHARD_COUNT after it). */
  shard: number;
  /** The entered shard's entries as they were at the start (reused arrays: the first `copied` slots count). */
  readonly copiedKeys: string[];
  readonly copiedValues: StoredValue[];
  readonly copiedExpiries: (number | undefined)[];
  copied: number;
  /** The next copied entry to emit. */
  position: number;
  /** Copied collections of the entered shard not emitted yet: changed in place, they still need copy-on-write. */
  readonly unemittedCollections: Set<string>;
  leftovers: Iterator<[string, Preserved]> | null;
}

/** A consistent, sliceable view of the keyspace as it was at `startedAtMs`. */
export class KeyspaceSnapshot {
  readonly startedAtMs: number;
  private readonly captured: CapturedDatabase[];
  private readonly byDict = new Map<ShardedMap<StoredValue>, CapturedDatabase>();
  private current = 0;
  private closed = false;
  /**
   * Estimated bytes the copy-on-write kept for this snapshot (preserved keys and values, copies of
   * collections): the fork-less counterpart of the copy-on-write memory Redis reports as *_cow_size.
   */
  copiedBytes = 0;
  private onClose: (() => void) | null;

  /** Use Keyspace.beginSnapshot(); this constructor is internal. */
  constructor(
    databases: readonly { index: number; dict: ShardedMap<StoredValue>; expires: ShardedMap<number> }[],
    startedAtMs: number,
    onClose: () => void,
  ) {
    this.startedAtMs = startedAtMs;
    this.onClose = onClose;
    this.captured = databases
      .filter((database) => database.dict.size > 0)
      .map((database) => ({
        info: { index: database.index, keyCount: database.dict.size, expiresCount: database.expires.size },
        dict: database.dict,
        expires: database.expires,
        preserved: new ShardedMap(),
        shard: -1,
        copiedKeys: [],
        copiedValues: [],
        copiedExpiries: [],
        copied: 0,
        position: 0,
        unemittedCollections: new Set<string>(),
        leftovers: null,
      }));
    for (const database of this.captured) this.byDict.set(database.dict, database);
  }

  /** The non-empty databases of the snapshot, in emission order. */
  get databases(): readonly SnapshotDatabaseInfo[] {
    return this.captured.map((database) => database.info);
  }

  /** Total keys at the start. */
  get totalKeys(): number {
    let total = 0;
    for (const database of this.captured) total += database.info.keyCount;
    return total;
  }

  /** Called by the keyspace before `key` of `dict` changes. */
  preserve(dict: ShardedMap<StoredValue>, key: string): void {
    const database = this.byDict.get(dict);
    if (database === undefined || walked(database, key) || database.preserved.has(key)) return;
    const value = dict.get(key);
    database.preserved.set(key, {
      value: value === undefined ? ABSENT : cloneValue(value),
      expireAtMs: database.expires.get(key),
      emitted: false,
    });
    this.copiedBytes += 80 + key.length + (value === undefined ? 0 : estimateValueBytes(value));
  }

  /**
   * Emits up to `maxEntries` entries of the current database through `emit`.
   * Returns the database index the entries belong to, or null when the snapshot is exhausted.
   * Entries of one call always belong to one database.
   */
  nextSlice(maxEntries: number, emit: SnapshotEmit): SnapshotDatabaseInfo | null {
    while (this.current < this.captured.length) {
      const database = this.captured[this.current] as CapturedDatabase;
      const emitted = this.walk(database, maxEntries, emit);
      if (emitted > 0) return database.info;
      this.current += 1;
    }
    this.close();
    return null;
  }

  /** Releases the copy-on-write hooks (also called when the walk completes or is aborted). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const onClose = this.onClose;
    this.onClose = null;
    for (const database of this.captured) {
      database.preserved.clear();
      clearCopies(database);
    }
    onClose?.();
  }

  /** Whether the snapshot has been fully walked or aborted. */
  get isClosed(): boolean {
    return this.closed;
  }

  // Walks the dict shard by shard (each copied when entered), then emits the preserved keys the walk never
  // met (deleted before it reached them).
  private walk(database: CapturedDatabase, maxEntries: number, emit: SnapshotEmit): number {
    let emitted = 0;
    if (database.leftovers === null) {
      while (emitted < maxEntries) {
        if (database.position === database.copied) {
          if (database.shard >= SHARD_COUNT) break;
          database.shard += 1;
          copyShard(database);
          continue;
        }
        const index = database.position;
        database.position = index + 1;
        const key = database.copiedKeys[index] as string;
        const value = database.copiedValues[index] as StoredValue;
        if (typeof value !== "string" && database.unemittedCollections.delete(key)) {
          // A collection guarded since the copy: if a write came first, the copy-on-write kept its start state.
          const kept = database.preserved.get(key);
          if (kept !== undefined && !kept.emitted && kept.value !== ABSENT) {
            kept.emitted = true;
            emit(key, kept.value, kept.expireAtMs);
            emitted += 1;
            continue;
          }
        }
        emit(key, value, database.copiedExpiries[index]);
        emitted += 1;
      }
      if (emitted === maxEntries) return emitted;
      clearCopies(database);
      database.leftovers = database.preserved.entries();
    }
    while (emitted < maxEntries) {
      const next = database.leftovers.next();
      if (next.done === true) break;
      const [key, preserved] = next.value;
      if (preserved.value === ABSENT || preserved.emitted) continue;
      preserved.emitted = true;
      emit(key, preserved.value, preserved.expireAtMs);
      emitted += 1;
    }
    return emitted;
  }
}

/**
 * Copies shard `database.shard` (nothing past the last shard) as it was at the start: a preserved key's
 * preserved value and expiry (skipped when it was created after the start), else the live ones, which
 * no write has touched since the start (it would have preserved them first).
 */
function copyShard(database: CapturedDatabase): void {
  const { copiedKeys, copiedValues, copiedExpiries, preserved, unemittedCollections } = database;
  // Drops the previous shard's references beyond what this one overwrites (the arrays are reused).
  clearCopies(database);
  const map = database.shard < SHARD_COUNT ? database.dict.shardAt(database.shard) : undefined;
  if (map === undefined || map.size === 0) return;
  const expires = database.expires.size === 0 ? null : database.expires;
  const checkPreserved = preserved.size !== 0;
  let count = 0;
  map.forEach((value, key) => {
    let startValue: StoredValue = value;
    let expireAtMs = expires === null ? undefined : expires.get(key);
    if (checkPreserved) {
      const kept = preserved.get(key);
      if (kept !== undefined) {
        kept.emitted = true;
        if (kept.value === ABSENT) return;
        startValue = kept.value;
        expireAtMs = kept.expireAtMs;
      }
    }
    copiedKeys[count] = key;
    copiedValues[count] = startValue;
    copiedExpiries[count] = expireAtMs;
    count += 1;
    if (typeof startValue !== "string" && startValue === value) unemittedCollections.add(key);
  });
  database.copied = count;
}

// Forgets the entered shard: its copied entries (keeping the arrays' capacity, so emitted values are not held
// longer than needed) and its guarded collections.
function clearCopies(database: CapturedDatabase): void {
  database.unemittedCollections.clear();
  database.copiedKeys.fill("", 0, database.copied);
  database.copiedValues.fill("", 0, database.copied);
  database.copiedExpiries.fill(undefined, 0, database.copied);
  database.copied = 0;
  database.position = 0;
}

/**
 * Whether the walk is past `key`: its shard was entered (the key was copied then, or was deleted before and
 * is preserved already, or was created after the start and is to be skipped), unless it is a collection of
 * the entered shard not emitted yet (changed in place, it still needs its copy-on-write). Keys in shards not
 * reached yet are still to come.
 */
function walked(database: CapturedDatabase, key: string): boolean {
  const index = shardOf(key);
  if (index < database.shard) return true;
  return index === database.shard && !database.unemittedCollections.has(key);
}
