// RDB interop with real Redis 7.0, both directions, comparing full contents: a dump written by
// redis-server loads in the engine; a dump written by the engine (SAVE and BGSAVE) passes
// redis-check-rdb and loads in redis-server. The data set has every type in small and large
// encodings, integers, binary-safe and compressible values, expiries and several databases.
import { execFileSync } from "node:child_process";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  SKIP_WITHOUT_REDIS,
  buildInteropDataset,
  diffDatasets,
  readDataset,
  startServer,
  tempDir,
  sleep,
  writeDataset,
  type TestServer,
} from "../engine/rdb/helpers.ts";

const started: TestServer[] = [];
afterEach(async () => {
  for (const server of started.splice(0)) await server.kill("SIGKILL");
});

async function start(kind: "engine" | "redis", dir: string, args: readonly string[] = []): Promise<TestServer> {
  const server = await startServer({ kind, dir, args: ["--save", "", ...args] });
  started.push(server);
  return server;
}

function checkWithRedis(file: string): string {
  return execFileSync("redis-check-rdb", [file], { encoding: "utf8" });
}

describe.skipIf(SKIP_WITHOUT_REDIS)("RDB interop with redis-server 7.0", () => {
  it("loads a dump written by redis-server with identical contents", async () => {
    const expected = buildInteropDataset(Date.now());
    const redisDir = tempDir("redis-src");
    const redis = await start("redis", redisDir);
    const redisClient = redis.client();
    await writeDataset(redisClient, expected);
    expect(await redisClient.call("SAVE")).toBe("OK");
    expect(diffDatasets(await readDataset(redisClient), expected)).toBeNull();
    const file = readFileSync(join(redisDir, "dump.rdb"));
    expect(file.subarray(0, 9).toString("latin1")).toBe("REDIS0010");

    const engineDir = tempDir("engine-dst");
    copyFileSync(join(redisDir, "dump.rdb"), join(engineDir, "dump.rdb"));
    const engine = await start("engine", engineDir);
    const engineClient = engine.client();
    expect(diffDatasets(await readDataset(engineClient), expected)).toBeNull();
    const info = String(await engineClient.call("INFO", "persistence"));
    expect(info).toContain(`rdb_last_load_keys_loaded:${expected.length}\r\n`);
    expect(info).toContain("rdb_last_load_keys_expired:0\r\n");
  });

  for (const mode of ["SAVE", "BGSAVE"] as const) {
    it(`writes a dump (${mode}) that passes redis-check-rdb and loads in redis-server with identical contents`, async () => {
      const expected = buildInteropDataset(Date.now());
      const engineDir = tempDir("engine-src");
      const engine = await start("engine", engineDir);
      const engineClient = engine.client();
      await writeDataset(engineClient, expected);
      if (mode === "SAVE") expect(await engineClient.call("SAVE")).toBe("OK");
      else {
        const before = Number(await engineClient.call("LASTSAVE"));
        await sleep(1100);
        expect(await engineClient.call("BGSAVE")).toBe("Background saving started");
        for (let attempt = 0; attempt < 200 && Number(await engineClient.call("LASTSAVE")) === before; attempt += 1)
          await sleep(50);
        expect(Number(await engineClient.call("LASTSAVE"))).toBeGreaterThan(before);
      }
      const dump = join(engineDir, "dump.rdb");
      const report = checkWithRedis(dump);
      expect(report).toContain("RDB looks OK");
      expect(report).toContain("Checksum OK");
      expect(report).toContain(`[info] ${expected.length} keys read`);

      const redisDir = tempDir("redis-dst");
      copyFileSync(dump, join(redisDir, "dump.rdb"));
      const redis = await start("redis", redisDir);
      const redisClient = redis.client();
      expect(diffDatasets(await readDataset(redisClient), expected)).toBeNull();
      expect(redis.output()).toContain(`keys loaded: ${expected.length}`);
    });
  }

  it("writes the encodings Redis 7.0 would choose (listpack, intset, quicklist) so OBJECT ENCODING in Redis matches", async () => {
    const expected = buildInteropDataset(Date.now());
    const engineDir = tempDir("engine-enc");
    const engine = await start("engine", engineDir);
    await writeDataset(engine.client(), expected);
    expect(await engine.client().call("SAVE")).toBe("OK");
    const reference = await start("redis", tempDir("redis-ref"));
    await writeDataset(reference.client(), expected);
    const redisDir = tempDir("redis-enc");
    copyFileSync(join(engineDir, "dump.rdb"), join(redisDir, "dump.rdb"));
    const loaded = await start("redis", redisDir);
    for (const entry of expected) {
      if (entry.value.type === "string") continue;
      const [a, b] = [loaded.client(), reference.client()];
      await a.call("SELECT", String(entry.db));
      await b.call("SELECT", String(entry.db));
      const key = Buffer.from(entry.key, "latin1");
      expect({ key: entry.key, encoding: await a.call("OBJECT", "ENCODING", key) }).toEqual({
        key: entry.key,
        encoding: await b.call("OBJECT", "ENCODING", key),
      });
    }
  });
});
