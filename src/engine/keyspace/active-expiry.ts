// Active expiry: each cron tick samples keys with a TTL and deletes the expired ones, repeating
// while a quarter or more of a sample was expired (Redis's adaptive cycle), within a time budget.
import type { Keyspace } from "./keyspace.ts";

const SAMPLE_SIZE = 20;
const TIME_BUDGET_MS = 2;

/** Runs one active-expiry cycle over all databases; returns the number of keys deleted. */
export function runActiveExpiryCycle(keyspace: Keyspace, cursors: Map<number, Iterator<string>>): number {
  const deadline = performance.now() + TIME_BUDGET_MS;
  let deleted = 0;
  for (const database of keyspace.databases) {
    if (database.expires.size === 0) continue;
    for (;;) {
      let sampled = 0;
      let expired = 0;
      let cursor = cursors.get(database.index);
      while (sampled < SAMPLE_SIZE && sampled < database.expires.size) {
        if (cursor === undefined) cursor = database.expires.keys();
        const next = cursor.next();
        if (next.done === true) {
          cursor = undefined;
          if (sampled === 0) break;
          continue;
        }
        sampled += 1;
        if (database.expireIfNeeded(next.value)) expired += 1;
      }
      if (cursor === undefined) cursors.delete(database.index);
      else cursors.set(database.index, cursor);
      deleted += expired;
      if (expired * 4 < sampled || sampled === 0 || performance.now() > deadline) break;
    }
  }
  return deleted;
}
