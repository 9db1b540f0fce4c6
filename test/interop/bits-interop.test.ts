// Interop of HyperLogLog (sparse, dense, cached cardinality), geo sets and bitmaps with a real
// redis-server 7.0.15: the same commands leave byte-identical values and equal DEBUG DIGESTs on both
// servers; a dump.rdb and an appendonlydir (RDB preamble and command base, with incr files holding
// PFADD, PFCOUNT, PFMERGE, PFDEBUG, GEOADD-as-ZADD, GEO stores, SETBIT and BITFIELD) written by either
// server load in the other with the same digest and the same PFCOUNTs.
import { copyFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  makeTempDir,
  SKIP_WITHOUT_REDIS,
  startServer,
  waitForRewriteDone,
  type ServerProcess,
} from "../engine/aof/support/processes.ts";
import { seededRandom } from "../helpers/seeded.ts";

const DEBUG = ["--enable-debug-command", "yes"];

// Part 1 and part 2 of the data set (an AOF test rewrites between them).
function partOne(): string[][] {
  const random = seededRandom(20261207);
  const elements = (prefix: string, count: number): string[] =>
    Array.from({ length: count }, (_, index) => `${prefix}${index}`);
  const points: string[] = [];
  for (let index = 0; index < 300; index += 1)
    points.push((-180 + random() * 360).toFixed(6), (-80 + random() * 160).toFixed(6), `place:${index}`);
  return [
    ["PFADD", "hll:sparse", ...elements("s", 40)],
    ["PFADD", "hll:cached", ...elements("c", 90)],
    ["PFCOUNT", "hll:cached"],
    ["PFADD", "hll:dense", ...elements("d", 4000)],
    ["PFADD", "hll:todense", "x", "y"],
    ["PFDEBUG", "TODENSE", "hll:todense"],
    ["GEOADD", "geo:world", ...points],
    ["GEOADD", "geo:edges", "180", "85.05112878", "ne", "-180", "-85.05112878", "sw", "0", "0", "origin"],
    ["SETBIT", "bits:small", "100", "1"],
    ["SETBIT", "bits:large", String(8 * 300_000 + 3), "1"],
    ["BITFIELD", "bits:large", "SET", "u16", "#5", "1234", "INCRBY", "i8", "800", "-7"],
    ["PEXPIRE", "hll:sparse", "100000000"],
  ];
}

function partTwo(): string[][] {
  const random = seededRandom(7);
  const commands: string[][] = [
    ["PFADD", "hll:sparse", "later-1", "later-2"],
    ["PFMERGE", "hll:merged", "hll:sparse", "hll:dense"],
    ["PFCOUNT", "hll:merged"],
    ["PFDEBUG", "GETREG", "hll:sparse"],
    ["GEORADIUS", "geo:world", "15", "37", "3000", "km", "STORE", "geo:near"],
    // Without STOREDIST: a stored distance is a double from sin/cos/asin, which can still differ from
    // glibc's in the last bit for a fraction of a percent of inputs (docs/engine.md); hash scores are exact.
    ["GEOSEARCHSTORE", "geo:box", "geo:world", "FROMLONLAT", "0", "45", "BYBOX", "4000", "3000", "km"],
    ["GEOADD", "geo:world", "XX", "CH", "13.361389", "38.115556", "place:1"],
    ["BITOP", "XOR", "bits:xor", "bits:small", "bits:large"],
  ];
  for (let index = 0; index < 50; index += 1)
    commands.push(["SETBIT", "bits:large", String(Math.floor(random() * 8 * 300_000)), String(index % 2)]);
  return commands;
}

const STRING_KEYS = [
  "hll:sparse",
  "hll:cached",
  "hll:dense",
  "hll:todense",
  "hll:merged",
  "bits:small",
  "bits:large",
  "bits:xor",
];
const ZSET_KEYS = ["geo:world", "geo:edges", "geo:near", "geo:box"];

async function apply(client: Redis, commands: readonly string[][]): Promise<void> {
  for (const [name, ...args] of commands) await client.call(name as string, ...args);
}

/** What must be equal on both servers: the digest, every value's bytes, PFCOUNTs, TTL presence. */
// PFCOUNT goes first: it may refresh a cached cardinality, a write that must precede the digest.
async function snapshot(client: Redis): Promise<Record<string, unknown>> {
  const counts = [];
  for (const key of ["hll:sparse", "hll:dense", "hll:merged"]) counts.push(await client.pfcount(key));
  const values: Record<string, unknown> = { pfcount: counts, digest: await client.call("DEBUG", "DIGEST") };
  for (const key of STRING_KEYS) values[key] = (await client.getBuffer(key))?.toString("hex") ?? null;
  for (const key of ZSET_KEYS) values[key] = await client.zrange(key, "0", "-1", "WITHSCORES");
  values["ttl"] = (await client.pttl("hll:sparse")) > 0;
  return values;
}

const started: ServerProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const server of started.splice(0)) await server.crash();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function start(kind: "engine" | "redis", dir: string, args: readonly string[] = []): Promise<ServerProcess> {
  const server = await startServer(kind, { dir, args: [...DEBUG, ...args] });
  started.push(server);
  return server;
}

function tempDir(label: string): string {
  const dir = makeTempDir(`bits-${label}`);
  dirs.push(dir);
  return dir;
}

describe.skipIf(SKIP_WITHOUT_REDIS)("HyperLogLog, geo and bitmap interop with redis-server 7.0", () => {
  it("the same commands leave byte-identical values and equal digests", async () => {
    const engine = await start("engine", tempDir("same-engine"));
    const redis = await start("redis", tempDir("same-redis"));
    const commands = [...partOne(), ...partTwo()];
    await apply(engine.client(), commands);
    await apply(redis.client(), commands);
    const expected = await snapshot(redis.client());
    expect(await snapshot(engine.client())).toEqual(expected);
    expect(await engine.client().call("PFDEBUG", "ENCODING", "hll:dense")).toBe("dense");
    expect(await engine.client().call("PFDEBUG", "ENCODING", "hll:merged")).toBe("dense");
  }, 120_000);

  for (const [from, to] of [
    ["engine", "redis"],
    ["redis", "engine"],
  ] as const) {
    it(`a dump.rdb written by ${from} loads in ${to} with the same values`, async () => {
      const sourceDir = tempDir(`rdb-${from}`);
      const source = await start(from, sourceDir);
      await apply(source.client(), [...partOne(), ...partTwo()]);
      expect(await source.client().call("SAVE")).toBe("OK");
      const expected = await snapshot(source.client());
      const targetDir = tempDir(`rdb-${to}`);
      copyFileSync(join(sourceDir, "dump.rdb"), join(targetDir, "dump.rdb"));
      const target = await start(to, targetDir);
      expect(await snapshot(target.client())).toEqual(expected);
    }, 120_000);

    for (const preamble of ["yes", "no"]) {
      it(`an appendonlydir written by ${from} (aof-use-rdb-preamble ${preamble}) loads in ${to} with the same values`, async () => {
        const dir = tempDir(`aof-${from}-${preamble}`);
        const args = ["--appendonly", "yes", "--aof-use-rdb-preamble", preamble, "--appendfsync", "always"];
        const source = await start(from, dir, args);
        const client = source.client();
        await apply(client, partOne());
        await client.bgrewriteaof();
        await waitForRewriteDone(client);
        await apply(client, partTwo());
        const expected = await snapshot(client);
        await source.stop();
        const target = await start(to, dir, args);
        expect(await snapshot(target.client())).toEqual(expected);
      }, 120_000);
    }
  }
});
