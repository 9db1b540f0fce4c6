// Which string keys hold a "raw" string in Redis's sense: a value APPEND or SETRANGE modified in
// place (Redis unshares it into a raw sds and never re-encodes it), so OBJECT ENCODING and DEBUG
// OBJECT say `raw` even when the text looks like an integer or is short. Values are JS strings with
// no identity, so the mark sits on the key and any other write to the key (or its database) clears it.
import type { Database } from "./database.ts";
import type { Keyspace } from "./keyspace.ts";

const MARKS = new WeakMap<Keyspace, Map<Database, Set<string>>>();

function marksOf(keyspace: Keyspace): Map<Database, Set<string>> {
  let marks = MARKS.get(keyspace);
  if (marks === undefined) {
    const created = new Map<Database, Set<string>>();
    keyspace.onTouch((database, key) => {
      if (created.size === 0) return;
      if (key === null) created.delete(database);
      else {
        const keys = created.get(database);
        if (keys?.delete(key) === true && keys.size === 0) created.delete(database);
      }
    });
    MARKS.set(keyspace, created);
    marks = created;
  }
  return marks;
}

/** After APPEND / SETRANGE stored a new value at key: it now counts as raw. */
export function markRawString(keyspace: Keyspace, database: Database, key: string): void {
  const marks = marksOf(keyspace);
  let keys = marks.get(database);
  if (keys === undefined) {
    keys = new Set();
    marks.set(database, keys);
  }
  keys.add(key);
}

/** Whether the string at key was last written by APPEND / SETRANGE (Redis reports it raw). */
export function isRawString(keyspace: Keyspace, database: Database, key: string): boolean {
  return MARKS.get(keyspace)?.get(database)?.has(key) === true;
}
