// maxmemory: before each command (as Redis's processCommand) the used memory (the estimate of
// keyspace/memory-accounting.ts) is compared with maxmemory; over it, keys are evicted by the
// maxmemory-policy, choosing each victim as Redis's evict.c does, from maxmemory-samples random keys
// per database (idle time for LRU, the decayed access counter for LFU, the nearest expiry for TTL,
// any for random; volatile-* sample only keys with a TTL). When nothing can be evicted
// (noeviction, or no volatile key), denyoom commands get Redis's -OOM error.
import { AccessTracker } from "../keyspace/access-tracker.ts";
import type { Database } from "../keyspace/database.ts";
import { SHARD_COUNT, type ShardedMap } from "../keyspace/sharded-map.ts";
import { pickOne, randomIndex } from "../commands/random-pick.ts";
import type { ServerContext } from "./context-types.ts";

/** Redis's OOM reply. */
export const OOM_ERROR = "OOM command not allowed when used memory > 'maxmemory'.";

// Longest time one command may spend evicting; the rest continues before the next command
// (Redis's EVICT_RUNNING: the command is not refused meanwhile).
const EVICTION_TIME_LIMIT_MS = 50;

/** Applies maxmemory / maxmemory-policy / lfu-* to the keyspace (accounting and access tracking on or off). */
export function applyMemorySettings(context: ServerContext): void {
  const settings = context.settings;
  const limited = settings.maxmemory > 0;
  context.keyspace.memory.setActive(limited);
  // OBJECT IDLETIME / FREQ and RESTORE IDLETIME|FREQ keep tracking on once used (commands/object-access.ts).
  const tracks = (limited && /-(lru|lfu)$/.test(settings.maxmemoryPolicy)) || context.accessTrackingRequested;
  const lfu = () => ({
    logFactor: Number(context.accepted.get("lfu-log-factor") ?? "10"),
    decayMinutes: Number(context.accepted.get("lfu-decay-time") ?? "1"),
  });
  for (const database of context.keyspace.databases) {
    if (!tracks) database.accessTracker = null;
    else database.accessTracker ??= new AccessTracker(Date.now, lfu);
  }
}

/** Frees memory down to maxmemory if it can; false when over the limit with nothing to evict. */
export function performEvictions(context: ServerContext): boolean {
  const settings = context.settings;
  const limit = settings.maxmemory;
  if (limit === 0) return true;
  const memory = context.keyspace.memory;
  if (memory.usedBytes() <= limit) return true;
  if (settings.maxmemoryPolicy === "noeviction") return false;
  const deadline = performance.now() + EVICTION_TIME_LIMIT_MS;
  while (memory.usedBytes() > limit) {
    const victim = pickVictim(context);
    if (victim === null) return false;
    victim.database.delete(victim.key);
    context.stats.evictedKeys += 1;
    // As Redis's propagateDeletion: the AOF gets a DEL for an evicted key.
    context.dispatcher.propagate(victim.database.index, ["DEL", victim.key]);
    if (performance.now() > deadline) {
      continueLater(context);
      return true;
    }
  }
  return true;
}

const continuing = new WeakSet<ServerContext>();

// As Redis's startEvictionTimeProc: eviction cut short by the time limit goes on between commands.
function continueLater(context: ServerContext): void {
  if (continuing.has(context)) return;
  continuing.add(context);
  setTimeout(() => {
    continuing.delete(context);
    if (!context.shuttingDown && !context.loading) performEvictions(context);
  }, 1);
}

interface Victim {
  readonly database: Database;
  readonly key: string;
  readonly score: number;
}

// The best of maxmemory-samples random keys per database (higher score = evict first).
function pickVictim(context: ServerContext): Victim | null {
  const policy = context.settings.maxmemoryPolicy;
  const samples = context.settings.maxmemorySamples;
  const volatile = policy.startsWith("volatile-");
  let best: Victim | null = null;
  for (const database of context.keyspace.databases) {
    const source: ShardedMap<unknown> = volatile ? database.expires : database.dict;
    if (source.size === 0) continue;
    for (let index = 0; index < samples; index += 1) {
      const key = sampleKey(source);
      if (key === undefined || database.dict.get(key) === undefined) continue;
      const score = scoreOf(policy, database, key);
      if (best === null || score > best.score) best = { database, key, score };
    }
  }
  return best;
}

function scoreOf(policy: string, database: Database, key: string): number {
  if (policy.endsWith("-lru")) return database.accessTracker?.idleMs(key) ?? 0;
  if (policy.endsWith("-lfu")) return 255 - (database.accessTracker?.frequency(key) ?? 5);
  if (policy === "volatile-ttl") return -(database.getExpire(key) ?? Number.MAX_SAFE_INTEGER);
  return Math.random();
}

// A random key: a random shard, then a random key of it (small maps are walked whole).
function sampleKey(map: ShardedMap<unknown>): string | undefined {
  if (map.size <= 64) return pickOne(map.keys(), map.size);
  for (let attempt = 0; attempt < 16; attempt += 1) {
    const shard = map.shardAt(randomIndex(SHARD_COUNT));
    if (shard !== undefined && shard.size > 0) return pickOne(shard.keys(), shard.size);
  }
  return pickOne(map.keys(), map.size);
}
