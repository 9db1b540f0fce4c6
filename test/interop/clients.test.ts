// Real clients against the built engine, unchanged: redis-cli (one-shot argv commands, commands
// piped in like an interactive session, --pipe mass insertion), redis-benchmark's default test set,
// ioredis and node-redis (basic commands, pipelines, MULTI). Where a result is not fixed by hand,
// the same script runs against a real redis-server 7.0 and the results must be equal.
import { execa } from "execa";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SKIP_WITHOUT_REDIS, spawnServer, type SpawnedServer } from "../helpers/servers.ts";

const cli = (port: number, args: readonly string[], input?: string) =>
  execa("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args], {
    reject: false,
    ...(input === undefined ? {} : { input }),
  });

describe.skipIf(SKIP_WITHOUT_REDIS)("real clients against the engine", () => {
  let engine: SpawnedServer;
  let redis: SpawnedServer;

  beforeAll(async () => {
    [engine, redis] = await Promise.all([spawnServer("engine"), spawnServer("redis")]);
  });

  afterAll(async () => {
    await Promise.all([engine?.stop(), redis?.stop()]);
  });

  it("redis-cli: one-shot commands print what they print against Redis", async () => {
    const script: string[][] = [
      ["SET", "greeting", "hello world"],
      ["GET", "greeting"],
      ["INCR", "counter"],
      ["INCRBYFLOAT", "counter", "0.5"],
      ["RPUSH", "list", "a", "b", "c"],
      ["LRANGE", "list", "0", "-1"],
      ["HSET", "hash", "f1", "v1", "f2", "v2"],
      ["HGETALL", "hash"],
      ["ZADD", "z", "1", "one", "2.5", "two"],
      ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
      ["GET", "missing"],
      ["TYPE", "hash"],
      ["NOSUCHCOMMAND"],
      ["LPUSH", "greeting", "x"],
    ];
    for (const mode of [[], ["--no-raw"]]) {
      for (const [port, server] of [
        [engine.port, "engine"],
        [redis.port, "redis"],
      ] as const)
        await cli(port, ["FLUSHALL"]);
      for (const argv of script) {
        const [fromEngine, fromRedis] = await Promise.all([
          cli(engine.port, [...mode, ...argv]),
          cli(redis.port, [...mode, ...argv]),
        ]);
        expect({ argv, out: fromEngine.stdout, err: fromEngine.stderr }).toEqual({
          argv,
          out: fromRedis.stdout,
          err: fromRedis.stderr,
        });
      }
    }
    expect((await cli(engine.port, ["GET", "greeting"])).stdout).toBe("hello world");
    expect((await cli(engine.port, ["--no-raw", "INCR", "counter2"])).stdout).toBe("(integer) 1");
  });

  it("redis-cli: a session of commands on stdin, SELECT and MULTI included", async () => {
    const session = [
      "SELECT 3",
      "SET k 1",
      "MULTI",
      "INCR k",
      "INCR k",
      "EXEC",
      "GET k",
      "DBSIZE",
      'SET "spaced key" "a b"',
      "GET 'spaced key'",
      "SELECT 0",
      "EXISTS k",
      "",
    ].join("\n");
    const [fromEngine, fromRedis] = await Promise.all([
      cli(engine.port, ["-n", "0"], session),
      cli(redis.port, ["-n", "0"], session),
    ]);
    expect(fromEngine.stdout).toBe(fromRedis.stdout);
    expect(fromEngine.stdout.split("\n")).toEqual([
      "OK",
      "OK",
      "OK",
      "QUEUED",
      "QUEUED",
      "2",
      "3",
      "3",
      "1",
      "OK",
      "a b",
      "OK",
      "0",
    ]);
  });

  it("redis-cli --pipe: mass insertion reports exact counts", async () => {
    await cli(engine.port, ["FLUSHALL"]);
    const count = 20_000;
    let protocol = "";
    for (let index = 0; index < count; index += 1) {
      const key = `key:${index}`;
      const value = `value-${index}`;
      protocol += `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${value.length}\r\n${value}\r\n`;
    }
    protocol += "*2\r\n$4\r\nSADD\r\n$1\r\ns\r\n*3\r\n$3\r\nGET\r\n$1\r\nx\r\n$1\r\ny\r\n";
    const result = await cli(engine.port, ["--pipe"], protocol);
    expect(result.exitCode).toBe(1); // two bad requests: arity errors, as Redis counts them
    expect(result.stdout).toContain(`errors: 2, replies: ${count + 2}`);
    expect((await cli(engine.port, ["DBSIZE"])).stdout).toBe(String(count));
    expect((await cli(engine.port, ["GET", "key:12345"])).stdout).toBe("value-12345");
    const clean = await cli(engine.port, ["--pipe"], protocol.slice(0, protocol.indexOf("*2\r\n$4\r\nSADD")));
    expect(clean.exitCode).toBe(0);
    expect(clean.stdout).toContain(`errors: 0, replies: ${count}`);
  });

  it("redis-benchmark -q -n 2000: every default test runs with zero errors", async () => {
    const result = await execa(
      "redis-benchmark",
      ["-h", "127.0.0.1", "-p", String(engine.port), "-n", "2000", "--csv"],
      { reject: false, timeout: 120_000 },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/error|WARNING/i);
    const tests = result.stdout
      .split("\n")
      .slice(1)
      .map((line) => (JSON.parse(`[${line}]`) as string[])[0]);
    expect(tests).toEqual([
      "PING_INLINE",
      "PING_MBULK",
      "SET",
      "GET",
      "INCR",
      "LPUSH",
      "RPUSH",
      "LPOP",
      "RPOP",
      "SADD",
      "HSET",
      "SPOP",
      "ZADD",
      "ZPOPMIN",
      "LPUSH (needed to benchmark LRANGE)",
      "LRANGE_100 (first 100 elements)",
      "LRANGE_300 (first 300 elements)",
      "LRANGE_500 (first 500 elements)",
      "LRANGE_600 (first 600 elements)",
      "MSET (10 keys)",
    ]);
    const quiet = await execa(
      "redis-benchmark",
      ["-h", "127.0.0.1", "-p", String(engine.port), "-q", "-n", "2000", "-t", "set,get,lpush,lpop"],
      { reject: false },
    );
    expect(quiet.exitCode).toBe(0);
    expect(quiet.stdout).toMatch(/SET: [\d.]+ requests per second/);
  }, 180_000);

  // One scripted use of ioredis; returns everything it observed.
  async function ioredisScript(port: number): Promise<unknown[]> {
    const client = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    try {
      const seen: unknown[] = [];
      await client.flushall();
      seen.push(
        await client.set("a", "1"),
        await client.get("a"),
        await client.incrby("a", 41),
        await client.mget("a", "missing"),
      );
      seen.push(
        await client.hset("h", { x: "1", y: "2" }),
        await client.hgetall("h"),
        await client.zadd("z", "1", "m", "2", "n"),
        await client.zrange("z", "0", "-1", "WITHSCORES"),
      );
      seen.push(await client.set("e", "v", "EX", 100), await client.ttl("e"), await client.del("a", "missing"));
      seen.push(
        await client.pipeline().set("p1", "x").get("p1").incr("p2").lpush("l", "1", "2").lrange("l", 0, -1).exec(),
      );
      const transaction = await client.multi().set("m1", "y").get("m1").sadd("s", "a", "b").smembers("s").exec();
      // Set members come in hash order, which differs between processes: compare them sorted.
      seen.push(
        transaction?.map(([error, value]) => [error, Array.isArray(value) ? [...(value as string[])].sort() : value]),
      );
      seen.push(
        await client
          .lpush("a2", "x")
          .then(() => client.get("a2"))
          .catch((error: Error) => error.message),
      );
      await client.watch("w");
      await client.set("w", "changed");
      seen.push(await client.multi().set("w", "mine").exec());
      const [cursor, keys] = await client.scan("0", "MATCH", "p*", "COUNT", "100");
      seen.push(cursor, [...keys].sort());
      return seen;
    } finally {
      client.disconnect();
    }
  }

  it("ioredis: commands, pipeline, MULTI and WATCH behave as against Redis", async () => {
    const [fromEngine, fromRedis] = [await ioredisScript(engine.port), await ioredisScript(redis.port)];
    expect(fromEngine).toEqual(fromRedis);
    expect(fromEngine[1]).toBe("1");
    expect(fromEngine.at(-3)).toBeNull();
  });

  // One scripted use of node-redis, in RESP2 (its default) or RESP3.
  async function nodeRedisScript(port: number, resp: 2 | 3): Promise<unknown[]> {
    const client = createClient({ socket: { host: "127.0.0.1", port, reconnectStrategy: false }, RESP: resp });
    client.on("error", () => {});
    await client.connect();
    try {
      const seen: unknown[] = [];
      await client.flushAll();
      seen.push(
        await client.set("a", "1"),
        await client.get("a"),
        await client.incrBy("a", 41),
        await client.mGet(["a", "missing"]),
      );
      seen.push(
        await client.hSet("h", { x: "1", y: "2" }),
        await client.hGetAll("h"),
        await client.zAdd("z", [
          { score: 1, value: "m" },
          { score: 2.5, value: "n" },
        ]),
      );
      seen.push(await client.zRangeWithScores("z", 0, -1), await client.zScore("z", "n"));
      seen.push(
        await Promise.all([
          client.set("p1", "x"),
          client.get("p1"),
          client.incr("p2"),
          client.lPush("l", ["1", "2"]),
          client.lRange("l", 0, -1),
        ]),
      );
      seen.push(await client.multi().set("m1", "y").get("m1").sAdd("s", ["a", "b"]).sCard("s").exec());
      seen.push(await client.multi().incr("c").incr("c").exec(true));
      seen.push(await client.lPush("a", "x").catch((error: Error) => error.message));
      seen.push(await client.sendCommand(["OBJECT", "ENCODING", "h"]));
      return seen;
    } finally {
      client.destroy();
    }
  }

  it("node-redis: commands, pipelining and MULTI in RESP2 and RESP3 behave as against Redis", async () => {
    for (const resp of [2, 3] as const) {
      const [fromEngine, fromRedis] = [
        await nodeRedisScript(engine.port, resp),
        await nodeRedisScript(redis.port, resp),
      ];
      expect(fromEngine).toEqual(fromRedis);
      expect(fromEngine[1]).toBe("1");
    }
  });
});
