// The keyspace: the numbered databases, the write hook shared by snapshots and WATCH, and the
// bookkeeping of changes since the last save. Owned by the server context.
import { Database, type DatabaseHooks } from "./database.ts";
import { MemoryAccounting } from "./memory-accounting.ts";
import { KeyspaceSnapshot } from "./snapshot.ts";

/** Listener for key modifications (WATCH invalidation, keyspace stats). */
export type KeyTouchListener = (database: Database, key: string | null) => void;

/** Listener for keys deleted by expiry (AOF propagates them as DEL). */
export type KeyExpiredListener = (database: Database, key: string) => void;

/** All databases plus the hooks that observe writes. */
export class Keyspace {
  readonly databases: Database[];
  /** Writes since the last successful save (rdb_changes_since_last_save). */
  dirty = 0;
  /** Keys removed by expiry since start (expired_keys). */
  expiredKeys = 0;
  private readonly snapshots = new Set<KeyspaceSnapshot>();
  private readonly touchListeners: KeyTouchListener[] = [];
  private readonly expiredListeners: KeyExpiredListener[] = [];
  private readonly now: () => number;
  /** The data set's estimated bytes (maxmemory's used memory); active only with maxmemory set. */
  readonly memory: MemoryAccounting;

  /** `isLoading` pauses expiry while the data set loads (the server passes its loading flag). */
  constructor(databaseCount: number, now: () => number = Date.now, isLoading: () => boolean = () => false) {
    this.now = now;
    const hooks: DatabaseHooks = {
      beforeWrite: (database, key, silent) => {
        if (this.memory.isActive) this.memory.beforeWrite(database, key);
        if (this.snapshots.size !== 0) {
          for (const snapshot of this.snapshots) snapshot.preserve(database.dict, key);
        }
        if (silent !== true) for (const listener of this.touchListeners) listener(database, key);
      },
      onExpired: (database, key) => {
        this.expiredKeys += 1;
        for (const listener of this.expiredListeners) listener(database, key);
      },
      beforeReplace: (database) => {
        this.memory.invalidate();
        for (const listener of this.touchListeners) listener(database, null);
      },
      now: () => this.now(),
      isLoading,
    };
    this.databases = Array.from({ length: databaseCount }, (_, index) => new Database(index, hooks));
    this.memory = new MemoryAccounting(this.databases);
  }

  /** The database with this index (the caller validated the range). */
  database(index: number): Database {
    const database = this.databases[index];
    if (database === undefined) throw new RangeError(`database ${index} out of range`);
    return database;
  }

  /** Starts a copy-on-write snapshot of every database; close it when done. */
  beginSnapshot(): KeyspaceSnapshot {
    const snapshot = new KeyspaceSnapshot(
      this.databases.map((database) => ({ index: database.index, dict: database.dict, expires: database.expires })),
      this.now(),
      () => this.snapshots.delete(snapshot),
    );
    this.snapshots.add(snapshot);
    return snapshot;
  }

  /** Estimated bytes the copy-on-write of the open snapshots has kept so far (current_cow_size). */
  get snapshotCopiedBytes(): number {
    let bytes = 0;
    for (const snapshot of this.snapshots) bytes += snapshot.copiedBytes;
    return bytes;
  }

  /** Number of snapshots being walked. */
  get activeSnapshots(): number {
    return this.snapshots.size;
  }

  /** Registers a listener called before each key write (key null = whole database replaced). */
  onTouch(listener: KeyTouchListener): void {
    this.touchListeners.push(listener);
  }

  /** Registers a listener called after a key expired. */
  onExpired(listener: KeyExpiredListener): void {
    this.expiredListeners.push(listener);
  }

  /** Total keys over all databases. */
  get totalKeys(): number {
    let total = 0;
    for (const database of this.databases) total += database.size;
    return total;
  }

  /** Empties every database. */
  flushAll(): number {
    let removed = 0;
    for (const database of this.databases) removed += database.flush();
    return removed;
  }
}
