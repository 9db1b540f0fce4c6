// The engine's fixes found by Redis's own test suite, checked against a real redis-server 7.0 where the
// answer must be the same: DEBUG DIGEST / DIGEST-VALUE (Redis's algorithm, equal across the two
// servers), LCS, SMOVE leaving a WATCHed destination untouched when it already has the member, KEYS
// with a pattern that used to backtrack exponentially; and the engine's unix socket and PID banner.
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SKIP_WITHOUT_REDIS, spawnServer, type SpawnedServer } from "../helpers/servers.ts";

const cli = async (port: number, args: readonly string[]): Promise<string> =>
  (await execa("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args], { reject: false })).stdout;

const DATASET: string[][] = [
  ["SET", "s", "hello"],
  ["SET", "n", "12345"],
  ["RPUSH", "l", "a", "b", "c", "1", "2"],
  ["SADD", "st", "x", "y", "1"],
  ["SADD", "si", "1", "2", "3"],
  ["HSET", "h", "f", "v", "f2", "v2"],
  ["ZADD", "z", "1.5", "a", "2", "b", "0.1", "c", "1e20", "d", "-inf", "e"],
  ["EXPIRE", "s", "1000"],
  ["SET", "ohmy", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
];

describe.skipIf(SKIP_WITHOUT_REDIS)("engine fixes from Redis's own suite, compared with redis-server", () => {
  let engine: SpawnedServer;
  let redis: SpawnedServer;

  beforeAll(async () => {
    [engine, redis] = await Promise.all([
      spawnServer("engine", ["--enable-debug-command", "yes"]),
      spawnServer("redis", ["--enable-debug-command", "yes"]),
    ]);
    for (const server of [engine, redis]) for (const command of DATASET) await cli(server.port, command);
  });

  afterAll(async () => {
    await Promise.all([engine?.stop(), redis?.stop()]);
  });

  it("DEBUG DIGEST and DIGEST-VALUE equal Redis's for the same data", async () => {
    const digest = await cli(engine.port, ["DEBUG", "DIGEST"]);
    expect(digest).toMatch(/^[0-9a-f]{40}$/);
    expect(digest).not.toBe("0".repeat(40));
    expect(digest).toBe(await cli(redis.port, ["DEBUG", "DIGEST"]));
    const values = ["DEBUG", "DIGEST-VALUE", "z", "l", "h", "s", "missing"];
    expect(await cli(engine.port, values)).toBe(await cli(redis.port, values));
  });

  it("LCS answers as Redis (plain, LEN, IDX with MINMATCHLEN and WITHMATCHLEN)", async () => {
    for (const server of [engine, redis]) {
      await cli(server.port, ["MSET", "virus1{t}", "ohmytext", "virus2{t}", "mynewtext"]);
    }
    for (const args of [[], ["LEN"], ["IDX"], ["IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"]]) {
      const command = ["LCS", "virus1{t}", "virus2{t}", ...args];
      expect(await cli(engine.port, command)).toBe(await cli(redis.port, command));
    }
  });

  it("KEYS with a nested-star pattern returns at once", async () => {
    const started = Date.now();
    expect(await cli(engine.port, ["KEYS", "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"])).toBe("");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("SMOVE of a member the destination has does not touch a WATCHed destination", async () => {
    const run = async (port: number): Promise<string> => {
      const shell = `(printf 'DEL src dst\\nSADD src a b\\nSADD dst a\\nWATCH dst\\nMULTI\\nSADD dst c\\n'; sleep 0.3; printf 'EXEC\\nSCARD dst\\n') | redis-cli -h 127.0.0.1 -p ${port}`;
      const other = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        await cli(port, ["SMOVE", "src", "dst", "a"]);
      })();
      const [result] = await Promise.all([execa("sh", ["-c", shell]), other]);
      return result.stdout.trim().split("\n").slice(-2).join(" ");
    };
    expect(await run(engine.port)).toBe(await run(redis.port));
  });
});

describe("engine start-up as Redis's test framework sees it", () => {
  it("prints ' PID: <pid>' with always-show-logo yes and serves its unix socket", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "persistlab-unixsocket-"));
    const socket = join(dir, "engine.sock");
    const engine = await spawnServer("engine", [
      "--always-show-logo",
      "yes",
      "--unixsocket",
      socket,
      "--unixsocketperm",
      "700",
    ]);
    try {
      expect(engine.output()).toContain(` PID: ${engine.pid}`);
      const ping = await execa("redis-cli", ["-s", socket, "PING"], { reject: false });
      expect(ping.stdout).toBe("PONG");
      const list = await execa("redis-cli", ["-s", socket, "CLIENT", "LIST"], { reject: false });
      expect(list.stdout).toContain(`addr=${socket}:0`);
    } finally {
      await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
