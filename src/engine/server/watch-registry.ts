// WATCH bookkeeping: which clients watch which keys, and marking them dirty when a key changes.
// As Redis 7.0, a key already expired (but not yet deleted) when WATCHed is remembered as such:
// its deletion by expiry, FLUSHDB/FLUSHALL or SWAPDB is no logical change and does not fail EXEC,
// while a watched key that expires after WATCH does.
import type { Database } from "../keyspace/database.ts";
import type { Keyspace } from "../keyspace/keyspace.ts";

/** What WATCH keeps on a client (the Client of server/context-types.ts has it; named here so this module needs no client type). */
export interface Watcher {
  readonly db: Database;
  /** Keys this client WATCHes, per database. */
  readonly watched: Map<Database, Set<string>>;
  /** A watched key changed: EXEC must fail. */
  dirtyCas: boolean;
}

/** One client's watch of one key: whether the key was logically expired when WATCHed. */
interface WatchedKey {
  expired: boolean;
}

/** Tracks watched keys per database and invalidates watchers on writes. */
export class WatchRegistry {
  private readonly byDatabase = new Map<Database, Map<string, Map<Watcher, WatchedKey>>>();
  // True while swap() exchanges two databases (their whole-database touches are handled by swap()).
  private swapping = false;

  constructor(keyspace: Keyspace) {
    keyspace.onTouch((database, key) => {
      if (this.byDatabase.size === 0) return;
      const watchers = this.byDatabase.get(database);
      if (watchers === undefined) return;
      if (key === null) {
        if (!this.swapping) this.touchReplaced(database, watchers, null);
        return;
      }
      const clients = watchers.get(key);
      if (clients === undefined) return;
      // A write hook on a key that is still present but logically expired is its deletion by expiry
      // (every other write deletes such a key first): onExpired below decides about it.
      const staleDeletion = database.dict.has(key) && database.isExpired(key);
      for (const [client, watched] of clients) {
        if (watched.expired && staleDeletion) continue;
        client.dirtyCas = true;
      }
    });
    keyspace.onExpired((database, key) => {
      // An already expired key now deleted: no logical change, and the key no longer counts as expired.
      const clients = this.byDatabase.get(database)?.get(key);
      if (clients !== undefined) for (const watched of clients.values()) watched.expired = false;
    });
  }

  /** Adds a watch of key in the client's current database (a second WATCH of it changes nothing). */
  watch(client: Watcher, key: string): void {
    const database = client.db;
    let watchers = this.byDatabase.get(database);
    if (watchers === undefined) {
      watchers = new Map();
      this.byDatabase.set(database, watchers);
    }
    let clients = watchers.get(key);
    if (clients === undefined) {
      clients = new Map();
      watchers.set(key, clients);
    }
    if (clients.has(client)) return;
    clients.set(client, { expired: database.dict.has(key) && database.isExpired(key) });
    let keys = client.watched.get(database);
    if (keys === undefined) {
      keys = new Set();
      client.watched.set(database, keys);
    }
    keys.add(key);
  }

  /** Drops all watches of a client (EXEC, DISCARD, UNWATCH, RESET, disconnect). */
  unwatchAll(client: Watcher): void {
    for (const [database, keys] of client.watched) {
      const watchers = this.byDatabase.get(database);
      if (watchers === undefined) continue;
      for (const key of keys) {
        const clients = watchers.get(key);
        clients?.delete(client);
        if (clients?.size === 0) watchers.delete(key);
      }
      if (watchers.size === 0) this.byDatabase.delete(database);
    }
    client.watched.clear();
    client.dirtyCas = false;
  }

  /**
   * EXEC's last check (Redis's isWatchedKeyExpired): a key alive when WATCHed that has expired since,
   * though not deleted yet, counts as changed.
   */
  hasExpiredSinceWatch(client: Watcher): boolean {
    for (const [database, keys] of client.watched) {
      const watchers = this.byDatabase.get(database);
      for (const key of keys) {
        const watched = watchers?.get(key)?.get(client);
        if (watched !== undefined && !watched.expired && database.isExpired(key)) return true;
      }
    }
    return false;
  }

  /** SWAPDB: marks watchers whose keys logically change, then exchanges the two databases. */
  swap(first: Database, second: Database): void {
    const firstWatchers = this.byDatabase.get(first);
    const secondWatchers = this.byDatabase.get(second);
    if (firstWatchers !== undefined) this.touchReplaced(first, firstWatchers, second);
    if (secondWatchers !== undefined) this.touchReplaced(second, secondWatchers, first);
    this.swapping = true;
    try {
      first.swapWith(second);
    } finally {
      this.swapping = false;
    }
  }

  /**
   * The contents of `emptied` are dropped (FLUSHDB/FLUSHALL, `replacedWith` null) or replaced by
   * those of `replacedWith` (SWAPDB). As Redis's touchAllWatchedKeysInDb: only keys present on
   * either side are touched; an expired key that goes away, stays expired, or replaces a missing
   * key is no logical change.
   */
  private touchReplaced(
    emptied: Database,
    watchers: Map<string, Map<Watcher, WatchedKey>>,
    replacedWith: Database | null,
  ): void {
    for (const [key, clients] of watchers) {
      const existsInEmptied = emptied.dict.has(key);
      const existsInReplacement = replacedWith !== null && replacedWith.dict.has(key);
      if (!existsInEmptied && !existsInReplacement) continue;
      const replacementExpired = existsInReplacement && (replacedWith as Database).isExpired(key);
      for (const [client, watched] of clients) {
        if (watched.expired) {
          if (!existsInReplacement) {
            watched.expired = false;
            continue;
          }
          if (replacementExpired) continue;
        } else if (!existsInEmptied && replacementExpired) {
          watched.expired = true;
          continue;
        }
        client.dirtyCas = true;
      }
    }
  }
}
