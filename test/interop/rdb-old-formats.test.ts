// Older encodings that Redis 7.0 still reads (linked lists, zipmaps, ziplists, quicklist v1,
// string-score zsets, second-resolution expiries, LRU/LFU hints, checksum-less files): each file is
// built by hand, then loaded by real redis-server 7.0 and by the engine; both must hold the same data.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RdbFileBuilder } from "../engine/rdb/file-builder.ts";
import {
  SKIP_WITHOUT_REDIS,
  diffDatasets,
  readDataset,
  startServer,
  tempDir,
  type TestServer,
} from "../engine/rdb/helpers.ts";

const started: TestServer[] = [];
afterEach(async () => {
  for (const server of started.splice(0)) await server.kill("SIGKILL");
});

async function loadIn(kind: "engine" | "redis", file: Buffer): Promise<TestServer> {
  const dir = tempDir(`old-${kind}`);
  writeFileSync(join(dir, "dump.rdb"), file);
  const server = await startServer({ kind, dir, args: ["--save", ""] });
  started.push(server);
  return server;
}

async function expectSameInBoth(file: Buffer, expectedKeys: number): Promise<void> {
  const redis = await loadIn("redis", file);
  const engine = await loadIn("engine", file);
  const fromRedis = await readDataset(redis.client());
  const fromEngine = await readDataset(engine.client());
  expect(fromRedis.length).toBe(expectedKeys);
  expect(diffDatasets(fromEngine, fromRedis, 2000)).toBeNull();
}

const many = (count: number, prefix: string): string[] =>
  Array.from({ length: count }, (_, index) => (index % 4 === 0 ? String(index - 50) : `${prefix}${index}`));

describe.skipIf(SKIP_WITHOUT_REDIS)("older RDB encodings load as in redis-server 7.0", () => {
  it("version 9 file with ziplist lists, hashes and zsets, quicklist v1, intsets", async () => {
    const now = Date.now();
    const file = new RdbFileBuilder({ version: 9, compression: true })
      .aux("redis-ver", "6.2.14")
      .selectDb(0, [6, 1])
      .listZiplist("zl:list", [
        "a",
        "0",
        "12",
        "13",
        "-1",
        "127",
        "128",
        "-129",
        "32768",
        "8388608",
        "2147483648",
        "x".repeat(300),
      ])
      .hashZiplist("zl:hash", [
        ["f", "v"],
        ["n", "-7"],
        ["big", "9223372036854775807"],
      ])
      .zsetZiplist("zl:zset", [
        ["a", -2],
        ["b", 0.5],
        ["c", 3],
        ["d", 1e20],
      ])
      .listQuicklist("ql:list", [many(200, "n1-"), many(3, "n2-"), ["tail"]])
      .setIntset("is:set", ["5", "-5", "100000"])
      .expireMs(now + 100_000)
      .string("plain", "text".repeat(30))
      .finish();
    await expectSameInBoth(file, 6);
  });

  it("version 6 file with a zipmap hash, a linked list, string-score zsets, plain hash and set", async () => {
    const file = new RdbFileBuilder({ version: 6 })
      .selectDb(0)
      .hashZipmap("zm:hash", [
        ["field", "value"],
        ["n", "12"],
        ["long", "L".repeat(300)],
      ])
      .linkedList("ll:list", ["one", "2", "three"])
      .zsetStringScores("z3", [
        ["a", 1.5],
        ["b", -Infinity],
        ["c", Infinity],
        ["d", 7],
      ])
      .hash("h4", [
        ["a", "1"],
        ["b", "2"],
      ])
      .set("s2", ["x", "y", "3"])
      .selectDb(2)
      .string("other-db", "2")
      .finish();
    await expectSameInBoth(file, 6);
  });

  it("expiries in seconds and ms, past expiries dropped, LRU/LFU hints skipped, checksum disabled", async () => {
    const nowSec = Math.floor(Date.now() / 1000);
    const file = new RdbFileBuilder({ version: 10 })
      .selectDb(0, [4, 3])
      .expireSeconds(nowSec + 3600)
      .string("sec", "a")
      .expireMs(Date.now() - 60_000)
      .string("expired", "gone")
      .idle(100)
      .string("idle", "b")
      .freq(5)
      .expireMs(Date.now() + 50_000)
      .zset2("z", [["m", 1]])
      .listQuicklist2("q2", [{ packed: ["a", "1"] }, { plain: "P".repeat(1000) }, { packed: ["z"] }])
      .finish({ checksum: false });
    await expectSameInBoth(file, 4);
    const engine = await loadIn("engine", file);
    const info = String(await engine.client().call("INFO", "persistence"));
    expect(info).toContain("rdb_last_load_keys_expired:1\r\n");
    expect(info).toContain("rdb_last_load_keys_loaded:4\r\n");
  });
});
