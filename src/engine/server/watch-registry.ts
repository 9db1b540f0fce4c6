// WATCH bookkeeping: which clients watch which keys, and marking them dirty when a key changes.
import type { Database } from "../keyspace/database.ts";
import type { Keyspace } from "../keyspace/keyspace.ts";
import type { Client } from "./client.ts";

/** Tracks watched keys per database and invalidates watchers on writes. */
export class WatchRegistry {
  private readonly byDatabase = new Map<Database, Map<string, Set<Client>>>();

  constructor(keyspace: Keyspace) {
    keyspace.onTouch((database, key) => {
      if (this.byDatabase.size === 0) return;
      const watchers = this.byDatabase.get(database);
      if (watchers === undefined) return;
      if (key === null) {
        for (const clients of watchers.values()) for (const client of clients) client.dirtyCas = true;
      } else {
        const clients = watchers.get(key);
        if (clients !== undefined) for (const client of clients) client.dirtyCas = true;
      }
    });
  }

  /** Adds a watch of key in the client's current database. */
  watch(client: Client, key: string): void {
    const database = client.db;
    let watchers = this.byDatabase.get(database);
    if (watchers === undefined) {
      watchers = new Map();
      this.byDatabase.set(database, watchers);
    }
    let clients = watchers.get(key);
    if (clients === undefined) {
      clients = new Set();
      watchers.set(key, clients);
    }
    clients.add(client);
    let keys = client.watched.get(database);
    if (keys === undefined) {
      keys = new Set();
      client.watched.set(database, keys);
    }
    keys.add(key);
  }

  /** Drops all watches of a client (EXEC, DISCARD, UNWATCH, disconnect). */
  unwatchAll(client: Client): void {
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

  /** Marks watchers of every key in a database dirty (FLUSHDB, SWAPDB). */
  touchAll(database: Database): void {
    const watchers = this.byDatabase.get(database);
    if (watchers === undefined) return;
    for (const clients of watchers.values()) for (const client of clients) client.dirtyCas = true;
  }
}
