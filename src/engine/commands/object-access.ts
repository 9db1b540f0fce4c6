// OBJECT IDLETIME / OBJECT FREQ and RESTORE ... IDLETIME|FREQ: the per-key access data of
// keyspace/access-tracker.ts. Redis keeps an LRU clock or LFU counter in every object; the engine
// keeps them only while someone needs them: an LRU/LFU maxmemory policy with maxmemory set, or
// from the first OBJECT IDLETIME / OBJECT FREQ / RESTORE IDLETIME|FREQ on (the hot path pays
// nothing until then). A key not accessed since tracking began counts as idle since then.
import { ReplyError } from "../errors.ts";
import { AccessTracker } from "../keyspace/access-tracker.ts";
import type { Database } from "../keyspace/database.ts";
import type { Client } from "../server/context-types.ts";
import type { ServerContext } from "../server/context-types.ts";

const LFU_NOT_SELECTED =
  "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
const LFU_SELECTED =
  "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

const isLfuPolicy = (context: ServerContext): boolean => context.settings.maxmemoryPolicy.endsWith("-lfu");

/** Turns access tracking on for every database (kept on from then: context.accessTrackingRequested). */
export function ensureAccessTracking(context: ServerContext): void {
  context.accessTrackingRequested = true;
  const lfu = () => ({
    logFactor: Number(context.accepted.get("lfu-log-factor") ?? "10"),
    decayMinutes: Number(context.accepted.get("lfu-decay-time") ?? "1"),
  });
  for (const database of context.keyspace.databases) database.accessTracker ??= new AccessTracker(Date.now, lfu);
}

// The tracker of a database, on from now.
function trackerOf(client: Client, database: Database): AccessTracker {
  ensureAccessTracking(client.server);
  return database.accessTracker as AccessTracker;
}

// As objectCommandLookup: expires the key if due, does not count as an access.
function exists(database: Database, key: string): boolean {
  database.expireIfNeeded(key);
  return database.dict.has(key);
}

/** OBJECT IDLETIME key: seconds since the last access; null reply for a missing key. */
export function objectIdletime(client: Client, key: string): void {
  const database = client.db;
  if (!exists(database, key)) {
    client.reply.nil();
    return;
  }
  if (isLfuPolicy(client.server)) throw new ReplyError(LFU_SELECTED);
  client.reply.integer(Math.floor(trackerOf(client, database).idleMs(key) / 1000));
}

/** OBJECT FREQ key: the decayed LFU counter; an error unless an LFU policy is selected. */
export function objectFreq(client: Client, key: string): void {
  const database = client.db;
  if (!exists(database, key)) {
    client.reply.nil();
    return;
  }
  if (!isLfuPolicy(client.server)) throw new ReplyError(LFU_NOT_SELECTED);
  client.reply.integer(trackerOf(client, database).frequency(key));
}

/** After RESTORE: IDLETIME applies under LRU-style policies, FREQ under LFU ones (as objectSetLRUOrLFU). */
export function restoreAccess(client: Client, key: string, idleSeconds: number, frequency: number): void {
  const lfu = isLfuPolicy(client.server);
  if (lfu && frequency >= 0) trackerOf(client, client.db).restore(key, { counter: frequency });
  else if (!lfu && idleSeconds >= 0) trackerOf(client, client.db).restore(key, { idleMs: idleSeconds * 1000 });
}
