// AOF interop with real redis-server 7.0.15, both directions: an appendonlydir written by the engine
// (RDB-preamble and command bases, after rewrites, with incrs written after them) passes
// redis-check-aof and loads in Redis with identical contents; one written by Redis loads in the engine
// with identical contents and passes the engine's check-aof.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diffDumps, dumpKeyspace, writeDataset } from "../engine/aof/support/dataset.ts";
import {
  ENGINE_BIN,
  makeTempDir,
  SKIP_WITHOUT_REDIS,
  startServer,
  waitForRewriteDone,
  type ServerProcess,
} from "../engine/aof/support/processes.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// Writes three parts of the data set with a rewrite after each of the first two.
async function writeWithRewrites(server: ServerProcess): Promise<void> {
  const client = server.client();
  for (let part = 0; part < 3; part += 1) {
    await writeDataset(client, part);
    if (part < 2) {
      await client.bgrewriteaof();
      await waitForRewriteDone(client);
    }
  }
}

function checkWith(tool: "redis" | "engine", manifest: string): { stdout: string; status: number | null } {
  const result =
    tool === "redis"
      ? spawnSync("redis-check-aof", [manifest], { encoding: "utf8" })
      : spawnSync(process.execPath, [ENGINE_BIN, "--check-aof", manifest], { encoding: "utf8" });
  return { stdout: result.stdout, status: result.status };
}

describe.skipIf(SKIP_WITHOUT_REDIS).each([
  ["RDB preamble", "yes"],
  ["command base", "no"],
])("AOF interop with redis-server 7.0.15 (%s)", (_label, preamble) => {
  const args = ["--appendonly", "yes", "--aof-use-rdb-preamble", preamble, "--appendfsync", "everysec"];

  it.each(["graceful stop", "SIGKILL"])(
    "the engine's appendonlydir loads in Redis with identical contents (%s)",
    async (ending) => {
      const dir = makeTempDir("interop-engine");
      dirs.push(dir);
      const engine = await startServer("engine", { dir, args });
      await writeWithRewrites(engine);
      const expected = await dumpKeyspace(engine.client());
      expect(Object.keys(expected[0] ?? {}).length).toBeGreaterThan(50);
      expect(Object.keys(expected[3] ?? {}).length).toBe(6);
      if (ending === "SIGKILL") await engine.crash();
      else await engine.stop();
      const manifest = join(dir, "appendonlydir", "appendonly.aof.manifest");
      const check = checkWith("redis", manifest);
      expect(check.stdout).toContain("All AOF files and manifest are valid");
      expect(check.status).toBe(0);
      const redis = await startServer("redis", { dir, args });
      expect(diffDumps(expected, await dumpKeyspace(redis.client()))).toEqual([]);
      await redis.stop();
    },
    60_000,
  );

  it("Redis's appendonlydir loads in the engine with identical contents and passes check-aof", async () => {
    const dir = makeTempDir("interop-redis");
    dirs.push(dir);
    const redis = await startServer("redis", { dir, args });
    await writeWithRewrites(redis);
    const expected = await dumpKeyspace(redis.client());
    expect(Object.keys(expected[0] ?? {}).length).toBeGreaterThan(50);
    await redis.stop();
    const manifest = join(dir, "appendonlydir", "appendonly.aof.manifest");
    const check = checkWith("engine", manifest);
    expect(check.stdout).toContain("All AOF files and manifest are valid");
    expect(check.status).toBe(0);
    const engine = await startServer("engine", { dir, args });
    expect(diffDumps(expected, await dumpKeyspace(engine.client()))).toEqual([]);
    // The engine keeps appending to Redis's files; Redis loads the result again.
    await writeDataset(engine.client(), 3);
    const afterEngine = await dumpKeyspace(engine.client());
    await engine.stop();
    const again = await startServer("redis", { dir, args });
    expect(diffDumps(afterEngine, await dumpKeyspace(again.client()))).toEqual([]);
    await again.stop();
  }, 60_000);
});
