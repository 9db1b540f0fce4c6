// Keyspace access shared by the data-type commands: reads that count keyspace hits/misses,
// write bookkeeping (dirty counter), and deleting collections that became empty.
import type { StoredValue } from "../keyspace/values.ts";
import type { Database } from "../keyspace/database.ts";
import type { Client } from "../server/context-types.ts";

/** Counts a read lookup in INFO keyspace_hits / keyspace_misses; returns the value unchanged. */
export function countLookup<T>(client: Client, value: T | undefined): T | undefined {
  if (value === undefined) client.server.stats.keyspaceMisses += 1;
  else client.server.stats.keyspaceHits += 1;
  return value;
}

/** Records `changes` writes (drives propagation to the AOF and the save points). */
export function markDirty(client: Client, changes = 1): void {
  client.server.keyspace.dirty += changes;
}

/** Deletes `key` when its collection is empty (Redis never keeps empty collections). */
export function deleteIfEmpty(
  db: Database,
  key: string,
  value: { readonly size: number } | { readonly length: number },
): boolean {
  const size = "size" in value ? value.size : value.length;
  if (size !== 0) return false;
  db.delete(key);
  return true;
}

/** Runs the write hook of an existing key (WATCH, snapshots) right before it is changed in place. */
export function touchForWrite(db: Database, key: string): void {
  db.getForWrite(key);
}

/** Reads a key of any type without expiring side effects beyond lazy expiry. */
export function lookup(client: Client, key: string): StoredValue | undefined {
  return countLookup(client, client.db.get(key));
}
