// One logical database: the key → value dict and the key → expiry dict, with lazy expiry and the
// write hook that copy-on-write snapshots and WATCH depend on. Every mutation goes through here.
import { ReplyError, ERRORS } from "../errors.ts";
import type { AccessTracker } from "./access-tracker.ts";
import { ShardedMap } from "./sharded-map.ts";
import { ListValue, StreamValue, ZSetValue, type HashValue, type SetValue, type StoredValue } from "./values.ts";

/** Callbacks the keyspace owner installs; Database calls them around mutations. */
export interface DatabaseHooks {
  /** Before `key` in `dict` changes (value, expiry, deletion or creation); `silent` when Redis does not signal the change (WATCH stays valid). */
  beforeWrite(database: Database, key: string, silent?: boolean): void;
  /** After a key was deleted because its TTL passed (for AOF/replication DEL propagation). */
  onExpired(database: Database, key: string): void;
  /** Before the whole dict is replaced (FLUSHDB/FLUSHALL/SWAPDB). */
  beforeReplace(database: Database): void;
  /** The current unix time in ms. */
  now(): number;
  /** True while the data set loads: keys do not expire then (Redis's keyIsExpired returns 0). */
  isLoading(): boolean;
}

/** A numbered database with lazy expiry. */
export class Database {
  dict = new ShardedMap<StoredValue>();
  expires = new ShardedMap<number>();
  readonly index: number;
  /** Access data for LRU/LFU eviction; null unless such a policy is in use with maxmemory. */
  accessTracker: AccessTracker | null = null;
  private readonly hooks: DatabaseHooks;

  constructor(index: number, hooks: DatabaseHooks) {
    this.index = index;
    this.hooks = hooks;
  }

  /** Number of keys (including logically expired ones not yet collected, as DBSIZE does). */
  get size(): number {
    return this.dict.size;
  }

  /** Reads a key, deleting it first when its TTL passed. */
  get(key: string): StoredValue | undefined {
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    const value = this.dict.get(key);
    if (this.accessTracker !== null && value !== undefined) this.accessTracker.touch(key);
    return value;
  }

  /** Reads a key that the caller is about to mutate in place (runs the write hook first). */
  getForWrite(key: string): StoredValue | undefined {
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    const value = this.dict.get(key);
    if (value !== undefined) {
      this.hooks.beforeWrite(this, key);
      if (this.accessTracker !== null) this.accessTracker.touch(key);
    }
    return value;
  }

  /**
   * Reads a key about to change in a way Redis does not signal as a modification (a consumer group's
   * state: XREADGROUP, XACK, XCLAIM, XGROUP, XSETID): snapshots still keep the old value, WATCH stays valid.
   */
  getForSilentWrite(key: string): StoredValue | undefined {
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    const value = this.dict.get(key);
    if (value !== undefined) this.hooks.beforeWrite(this, key, true);
    return value;
  }

  /** Whether the key exists (after lazy expiry). */
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Sets a key; removes its TTL unless keepTtl. */
  set(key: string, value: StoredValue, keepTtl = false): void {
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    this.hooks.beforeWrite(this, key);
    if (this.accessTracker !== null) this.accessTracker.touch(key);
    this.dict.set(key, value);
    if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
  }

  /** Deletes a key; true when it existed. */
  delete(key: string): boolean {
    if (this.get(key) === undefined) return false;
    this.hooks.beforeWrite(this, key);
    this.dict.delete(key);
    this.expires.delete(key);
    if (this.accessTracker !== null) this.accessTracker.forget(key);
    return true;
  }

  /** Absolute expiry in unix ms, or undefined when the key has no TTL. */
  getExpire(key: string): number | undefined {
    return this.expires.get(key);
  }

  /** Sets an absolute expiry on an existing key. */
  setExpire(key: string, atMs: number): void {
    this.hooks.beforeWrite(this, key);
    this.expires.set(key, atMs);
  }

  /** Removes the TTL; true when there was one. */
  persist(key: string): boolean {
    if (!this.expires.has(key)) return false;
    this.hooks.beforeWrite(this, key);
    this.expires.delete(key);
    return true;
  }

  /** Whether the key's TTL has passed (Redis's keyIsExpired: never while loading); nothing is deleted. */
  isExpired(key: string): boolean {
    const at = this.expires.get(key);
    return at !== undefined && at <= this.hooks.now() && !this.hooks.isLoading();
  }

  /** Deletes the key when its TTL passed; true when it did. */
  expireIfNeeded(key: string): boolean {
    const at = this.expires.get(key);
    if (at === undefined || at > this.hooks.now() || this.hooks.isLoading()) return false;
    this.hooks.beforeWrite(this, key);
    this.dict.delete(key);
    this.expires.delete(key);
    this.hooks.onExpired(this, key);
    return true;
  }

  /** Empties the database by replacing its dicts (snapshots keep iterating the old ones). */
  flush(): number {
    const removed = this.dict.size;
    this.hooks.beforeReplace(this);
    this.dict = new ShardedMap();
    this.expires = new ShardedMap();
    return removed;
  }

  /** Exchanges contents with another database (SWAPDB). */
  swapWith(other: Database): void {
    this.hooks.beforeReplace(this);
    this.hooks.beforeReplace(other);
    const dict = this.dict;
    const expires = this.expires;
    this.dict = other.dict;
    this.expires = other.expires;
    other.dict = dict;
    other.expires = expires;
  }

  /** Typed read: the hash at key (undefined when absent); WRONGTYPE for other kinds. */
  getHash(key: string, forWrite = false): HashValue | undefined {
    const value = forWrite ? this.getForWrite(key) : this.get(key);
    if (value === undefined || value instanceof Map) return value;
    throw new ReplyError(ERRORS.wrongType);
  }

  /** Typed read: the set at key. */
  getSet(key: string, forWrite = false): SetValue | undefined {
    const value = forWrite ? this.getForWrite(key) : this.get(key);
    if (value === undefined || value instanceof Set) return value;
    throw new ReplyError(ERRORS.wrongType);
  }

  /** Typed read: the list at key. */
  getList(key: string, forWrite = false): ListValue | undefined {
    const value = forWrite ? this.getForWrite(key) : this.get(key);
    if (value === undefined || value instanceof ListValue) return value;
    throw new ReplyError(ERRORS.wrongType);
  }

  /** Typed read: the sorted set at key. */
  getZSet(key: string, forWrite = false): ZSetValue | undefined {
    const value = forWrite ? this.getForWrite(key) : this.get(key);
    if (value === undefined || value instanceof ZSetValue) return value;
    throw new ReplyError(ERRORS.wrongType);
  }

  /** Typed read: the stream at key. */
  getStream(key: string, forWrite = false): StreamValue | undefined {
    const value = forWrite ? this.getForWrite(key) : this.get(key);
    if (value === undefined || value instanceof StreamValue) return value;
    throw new ReplyError(ERRORS.wrongType);
  }

  /** Typed read: the string at key. */
  getString(key: string): string | undefined {
    const value = this.get(key);
    if (value === undefined || typeof value === "string") return value;
    throw new ReplyError(ERRORS.wrongType);
  }
}
