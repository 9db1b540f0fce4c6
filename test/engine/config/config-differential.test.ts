// CONFIG GET / CONFIG SET on the engine next to a real redis-server 7.0 in the same test: the
// same directive names and default values (CONFIG GET *), and the same reply, error text included,
// for valid and invalid CONFIG SET of every kind of directive (types, ranges, special forms,
// aliases, immutable and protected ones).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RespConnection, type Reply } from "../../helpers/resp-client.ts";
import { SKIP_WITHOUT_REDIS, spawnServer, type SpawnedServer } from "../../helpers/servers.ts";

// Differ by construction (each server has its own port and directory).
const PER_SERVER = new Set(["port", "dir"]);

function asPairs(reply: Reply): Map<string, string> {
  const out = new Map<string, string>();
  const items = reply.type === "map" ? reply.value.flat() : reply.type === "array" ? reply.value : [];
  for (let index = 0; index + 1 < items.length; index += 2) {
    const name = items[index] as Reply;
    const value = items[index + 1] as Reply;
    out.set(name.type === "bulk" ? name.value : "", value.type === "bulk" ? value.value : JSON.stringify(value));
  }
  return out;
}

const SET_CASES: readonly (readonly string[])[] = [
  ["maxmemory", "-5"],
  ["maxmemory", "10zb"],
  ["maxmemory", "1kb"],
  ["maxmemory", "0"],
  ["maxmemory", "2GB"],
  ["maxmemory", "0"],
  ["maxmemory-policy", "allkeys-lfu"],
  ["maxmemory-policy", "lru"],
  ["maxmemory-policy", "noeviction"],
  ["maxmemory-samples", "0"],
  ["repl-backlog-size", "2mb"],
  ["repl-backlog-size", "0"],
  ["repl-ping-replica-period", "5"],
  ["repl-ping-slave-period", "7"],
  ["repl-ping-replica-period", "0"],
  ["slave-serve-stale-data", "no"],
  ["replica-serve-stale-data", "maybe"],
  ["propagation-error-behavior", "panic"],
  ["propagation-error-behavior", "explode"],
  ["repl-diskless-sync-max-replicas", "3"],
  ["hz", "0"],
  ["hz", "1000"],
  ["hz", "10"],
  ["timeout", "-1"],
  ["timeout", "01"],
  ["timeout", "+1"],
  ["maxclients", "-1"],
  ["save", "900 1 300 10"],
  ["save", "900"],
  ["save", ""],
  ["client-output-buffer-limit", "normal 1mb 512kb 10"],
  ["client-output-buffer-limit", "replica 1gb 1gb 0 pubsub 0 0 0"],
  ["client-output-buffer-limit", "master 1 1 1"],
  ["client-output-buffer-limit", "normal 1 1"],
  ["client-output-buffer-limit", "normal x 1 1"],
  ["notify-keyspace-events", "KEA"],
  ["notify-keyspace-events", "Kgx$"],
  ["notify-keyspace-events", "Q"],
  ["notify-keyspace-events", ""],
  // oom-score-adj is turned on only with values an unprivileged redis-server can write.
  ["oom-score-adj", "relative"],
  ["oom-score-adj", "sometimes"],
  ["oom-score-adj", "no"],
  ["oom-score-adj-values", "0 100 2001"],
  ["oom-score-adj-values", "-100 0 100"],
  ["shutdown-on-sigterm", "save now"],
  ["shutdown-on-sigterm", "save nosave"],
  ["shutdown-on-sigterm", "default"],
  ["shutdown-on-sigint", "force nosave"],
  ["maxmemory-clients", "10%"],
  ["maxmemory-clients", "101%"],
  ["maxmemory-clients", "1mb"],
  ["latency-tracking-info-percentiles", "50 99.99 100"],
  ["latency-tracking-info-percentiles", "101"],
  ["latency-tracking-info-percentiles", "abc"],
  ["list-max-ziplist-size", "-3"],
  ["hash-max-ziplist-value", "1kb"],
  ["zset-max-listpack-entries", "-1"],
  ["lua-time-limit", "100"],
  ["busy-reply-threshold", "-1"],
  ["slowlog-log-slower-than", "-2"],
  ["active-expire-effort", "11"],
  ["proc-title-template", "{title} {nope}"],
  ["cluster-announce-hostname", "bad_host"],
  ["loglevel", "nothing"],
  ["loglevel", "WARNING"],
  ["loglevel", "notice"],
  ["appendfsync", "sometimes"],
  ["rdbcompression", "true"],
  ["proto-max-bulk-len", "1000"],
  ["unixsocketperm", "777"],
  ["tcp-backlog", "100"],
  ["replicaof", "127.0.0.1 1"],
  ["cluster-enabled", "yes"],
  ["appenddirname", "other"],
  ["enable-debug-command", "yes"],
  ["enable-protected-configs", "yes"],
  ["dir", "/tmp"],
  ["dbfilename", "../evil.rdb"],
  ["no-such-directive", "1"],
  ["maxmemory", "1mb", "maxmemory", "2mb"],
  ["maxmemory", "1mb", "no-such-directive", "2"],
  ["maxmemory", "1mb", "hz", "x"],
  ["maxmemory"],
];

describe.skipIf(SKIP_WITHOUT_REDIS)("CONFIG next to redis-server 7.0", () => {
  let engine: SpawnedServer;
  let redis: SpawnedServer;
  let engineConnection: RespConnection;
  let redisConnection: RespConnection;

  beforeAll(async () => {
    [engine, redis] = await Promise.all([
      spawnServer("engine", ["--dbfilename", "same.rdb"]),
      spawnServer("redis", ["--dbfilename", "same.rdb"]),
    ]);
    [engineConnection, redisConnection] = await Promise.all([
      RespConnection.open(engine.port),
      RespConnection.open(redis.port),
    ]);
  }, 60_000);

  afterAll(async () => {
    engineConnection?.close();
    redisConnection?.close();
    await Promise.all([engine?.stop(), redis?.stop()]);
  });

  it("CONFIG GET * gives the same names and default values", async () => {
    const [ours, theirs] = await Promise.all([
      engineConnection.call("CONFIG", "GET", "*"),
      redisConnection.call("CONFIG", "GET", "*"),
    ]);
    const ourPairs = asPairs(ours);
    const theirPairs = asPairs(theirs);
    expect(theirPairs.size).toBeGreaterThan(150);
    expect([...ourPairs.keys()].sort()).toEqual([...theirPairs.keys()].sort());
    for (const [name, value] of theirPairs) {
      if (!PER_SERVER.has(name)) expect({ name, value: ourPairs.get(name) }).toEqual({ name, value });
    }
    expect(ourPairs.get("dir")).toBe(engine.dir);
  });

  it("CONFIG GET of a hidden directive works by exact name only, as Redis", async () => {
    for (const args of [["rdb-key-save-delay"], ["key-load-delay"], ["*-delay"], ["SLAVE-READ-ONLY"]]) {
      const [ours, theirs] = await Promise.all([
        engineConnection.call("CONFIG", "GET", ...args),
        redisConnection.call("CONFIG", "GET", ...args),
      ]);
      expect({ args, reply: ours }).toEqual({ args, reply: theirs });
    }
  });

  it("CONFIG SET answers exactly as Redis for valid and invalid values, and CONFIG GET shows the same result", async () => {
    for (const args of SET_CASES) {
      const [ours, theirs] = await Promise.all([
        engineConnection.call("CONFIG", "SET", ...args),
        redisConnection.call("CONFIG", "SET", ...args),
      ]);
      expect({ args, reply: ours }).toEqual({ args, reply: theirs });
      const name = args[0] as string;
      const [ourValue, theirValue] = await Promise.all([
        engineConnection.call("CONFIG", "GET", name),
        redisConnection.call("CONFIG", "GET", name),
      ]);
      if (name !== "dir") expect({ args, value: ourValue }).toEqual({ args, value: theirValue });
    }
  });
});
