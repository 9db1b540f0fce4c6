// Differential test: seeded random command streams over every command family go to the built
// engine and to a real redis-server 7.0; every reply and the final data set must match (see
// differential-compare.ts for the few normalisations). Set DIFF_SEED / DIFF_RUNS to explore more.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RespConnection, type Reply } from "../helpers/resp-client.ts";
import { SKIP_WITHOUT_REDIS, spawnServer, type SpawnedServer } from "../helpers/servers.ts";
import { step, type Step } from "./differential-commands.ts";
import { dumpState, flatten, sameExec, sameReply } from "./differential-compare.ts";
import { DEFAULT_STREAM_NODES, TINY_STREAM_NODES } from "./differential-streams.ts";

const SEED = Number(process.env["DIFF_SEED"] ?? 20261125);
const RUNS = Number(process.env["DIFF_RUNS"] ?? 600);
const TIME_LIMIT_MS = 45_000;

const DEFAULT_ENCODINGS = [
  "hash-max-listpack-entries",
  "512",
  "hash-max-listpack-value",
  "64",
  "zset-max-listpack-entries",
  "128",
  "zset-max-listpack-value",
  "64",
  "set-max-intset-entries",
  "512",
];
const TINY_ENCODINGS = [
  "hash-max-listpack-entries",
  "3",
  "hash-max-listpack-value",
  "8",
  "zset-max-listpack-entries",
  "3",
  "zset-max-listpack-value",
  "8",
  "set-max-intset-entries",
  "3",
];

class Mismatch extends Error {
  override readonly name = "Mismatch";
}

describe.skipIf(SKIP_WITHOUT_REDIS)("engine vs redis-server 7.0: identical replies", () => {
  let engine: SpawnedServer;
  let redis: SpawnedServer;
  let engineConnection: RespConnection;
  let redisConnection: RespConnection;

  beforeAll(async () => {
    [engine, redis] = await Promise.all([spawnServer("engine"), spawnServer("redis")]);
    [engineConnection, redisConnection] = await Promise.all([
      RespConnection.open(engine.port),
      RespConnection.open(redis.port),
    ]);
  });

  afterAll(async () => {
    engineConnection?.close();
    redisConnection?.close();
    await Promise.all([engine?.stop(), redis?.stop()]);
  });

  const both = async (argv: readonly string[]): Promise<[Reply, Reply]> => [
    await engineConnection.call(...argv),
    await redisConnection.call(...argv),
  ];

  const mismatch = (what: string, argv: readonly string[], a: unknown, b: unknown): Mismatch =>
    new Mismatch(`${what} ${JSON.stringify(argv)}\n  engine: ${JSON.stringify(a)}\n  redis:  ${JSON.stringify(b)}`);

  async function check(argv: string[]): Promise<void> {
    const [a, b] = await both(argv);
    if (!sameReply(argv, a, b)) throw mismatch("reply of", argv, a, b);
    if ((argv[0] as string).toUpperCase() === "SPOP") await resyncSpop(argv, a, b);
  }

  // SPOP removes different random members on each server: put the engine's set back in step.
  async function resyncSpop(argv: readonly string[], a: Reply, b: Reply): Promise<void> {
    if (a.type === "error" || a.type === "nil" || a.type === "nilarray") return;
    const engineMembers = flatten(a);
    const redisMembers = flatten(b);
    const key = argv[1] as string;
    const missing = engineMembers.filter((member) => !redisMembers.includes(member));
    const extra = redisMembers.filter((member) => !engineMembers.includes(member));
    if (missing.length > 0) await engineConnection.call("SADD", key, ...missing);
    if (extra.length > 0) await engineConnection.call("SREM", key, ...extra);
  }

  async function scanAll(argv: readonly string[]): Promise<[unknown, unknown]> {
    const run = async (connection: RespConnection): Promise<unknown> => {
      const name = (argv[0] as string).toUpperCase();
      const keyed = name !== "SCAN";
      let cursor = "0";
      const seen = new Set<string>();
      for (let round = 0; round < 10_000; round += 1) {
        const request = keyed
          ? [argv[0] as string, argv[1] as string, cursor, ...argv.slice(2)]
          : [argv[0] as string, cursor, ...argv.slice(1)];
        const reply = await connection.call(...request);
        if (reply.type !== "array") return reply;
        const [next, items] = reply.value;
        const flat = items === undefined ? [] : flatten(items);
        if (name === "HSCAN" || name === "ZSCAN")
          for (let index = 0; index < flat.length; index += 2) seen.add(`${flat[index]}=${flat[index + 1]}`);
        else for (const item of flat) seen.add(item);
        cursor = next?.type === "bulk" ? next.value : "0";
        if (cursor === "0") return [...seen].sort();
      }
      return "scan did not finish";
    };
    return [await run(engineConnection), await run(redisConnection)];
  }

  async function runStep(current: Step): Promise<void> {
    if (current.kind === "command") return check(current.argv);
    if (current.kind === "scan") {
      const [a, b] = await scanAll(current.argv);
      if (JSON.stringify(a) !== JSON.stringify(b)) throw mismatch("full scan", current.argv, a, b);
      return;
    }
    if (current.watch !== null) await check(["WATCH", ...current.watch]);
    for (const argv of current.before) await check(argv);
    await check(["MULTI"]);
    for (const argv of current.queued) await check(argv);
    const [a, b] = await both(["EXEC"]);
    if (!sameExec(current.queued, a, b)) throw mismatch("EXEC of", current.queued.flat(), a, b);
  }

  async function runStream(steps: readonly Step[], resp3: boolean, tinyEncodings: boolean): Promise<void> {
    for (const connection of [engineConnection, redisConnection]) {
      await connection.call("RESET");
      await connection.call("FLUSHALL");
      // Tiny thresholds make listpack/intset conversions (and SCAN cursors) happen on small data.
      const thresholds = tinyEncodings ? TINY_ENCODINGS : DEFAULT_ENCODINGS;
      const reply = await connection.call("CONFIG", "SET", ...thresholds);
      if (reply.type !== "status") throw new Error(`CONFIG SET refused: ${JSON.stringify(reply)}`);
      await connection.call("CONFIG", "SET", ...(tinyEncodings ? TINY_STREAM_NODES : DEFAULT_STREAM_NODES));
      if (resp3) await connection.call("HELLO", "3");
    }
    for (const current of steps) await runStep(current);
    const [a, b] = [await dumpState(engineConnection), await dumpState(redisConnection)];
    if (JSON.stringify(a) !== JSON.stringify(b)) throw mismatch("final data set", [], a, b);
  }

  it("replies and final data sets match over random streams of every family", async () => {
    const startedAt = Date.now();
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 5, maxLength: 60 }),
        fc.boolean(),
        fc.boolean(),
        async (steps, resp3, tinyEncodings) => {
          await runStream(steps, resp3, tinyEncodings);
        },
      ),
      {
        seed: SEED,
        numRuns: RUNS,
        interruptAfterTimeLimit: TIME_LIMIT_MS,
        markInterruptAsFailure: false,
        endOnFailure: false,
      },
    );
    expect(Date.now() - startedAt).toBeLessThan(60_000);
  }, 90_000);
});
