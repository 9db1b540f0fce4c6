// maxmemory with each maxmemory-policy: noeviction refuses denyoom commands (and anything queued in
// MULTI) with Redis's -OOM text, as redis-server does; the allkeys-/volatile- policies evict by
// sampling until the used memory (the engine's estimate, docs/engine.md) is under the limit, keep
// recently / frequently used keys (LRU / LFU), evict the nearest expiry first (TTL), never touch keys
// without a TTL under volatile-*, and propagate a DEL for each evicted key.
import { afterEach, describe, expect, it } from "vitest";
import { startInProcess, type InProcessServer } from "../../helpers/in-process-server.ts";
import type { RespConnection, Reply } from "../../helpers/resp-client.ts";
import { SKIP_WITHOUT_REDIS, spawnServer } from "../../helpers/servers.ts";
import { RespConnection as Connection } from "../../helpers/resp-client.ts";

const OOM: Reply = { type: "error", value: "OOM command not allowed when used memory > 'maxmemory'." };
const VALUE = "x".repeat(1000);
let server: InProcessServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

async function fill(
  connection: RespConnection,
  prefix: string,
  count: number,
  ttl?: (index: number) => number,
): Promise<void> {
  const commands: string[][] = [];
  for (let index = 0; index < count; index += 1) {
    commands.push(
      ttl === undefined
        ? ["SET", `${prefix}${index}`, VALUE]
        : ["SET", `${prefix}${index}`, VALUE, "PX", String(ttl(index))],
    );
  }
  for (let start = 0; start < commands.length; start += 200)
    await connection.pipeline(commands.slice(start, start + 200));
}

async function integer(connection: RespConnection, ...argv: string[]): Promise<number> {
  const reply = await connection.call(...argv);
  if (reply.type !== "integer") throw new Error(`${argv.join(" ")}: ${JSON.stringify(reply)}`);
  return Number(reply.value);
}

async function usedForMaxmemory(connection: RespConnection): Promise<number> {
  const reply = await connection.call("INFO", "memory");
  const match = /used_memory_for_maxmemory:(\d+)/.exec(reply.type === "bulk" ? reply.value : "");
  return Number(match?.[1] ?? Number.NaN);
}

async function surviving(connection: RespConnection, prefix: string, count: number): Promise<number> {
  const replies = await connection.pipeline(
    Array.from({ length: count }, (_, index) => ["EXISTS", `${prefix}${index}`]),
  );
  return replies.filter((reply) => reply.type === "integer" && reply.value === "1").length;
}

describe.skipIf(SKIP_WITHOUT_REDIS)("maxmemory noeviction, as redis-server", () => {
  it("answers -OOM to denyoom commands and to commands queued in MULTI, and serves the rest", async () => {
    for (const kind of ["engine", "redis"] as const) {
      const spawned = await spawnServer(kind, ["--maxmemory", "1kb"]);
      const connection = await Connection.open(spawned.port);
      try {
        const replies = [
          await connection.call("SET", "k", "v"),
          await connection.call("GET", "k"),
          await connection.call("DEL", "k"),
          await connection.call("SETRANGE", "k", "0", "x"),
          await connection.call("MULTI"),
          await connection.call("GET", "k"),
          await connection.call("EXEC"),
        ];
        expect({ kind, replies }).toEqual({
          kind,
          replies: [
            OOM,
            { type: "nil" },
            { type: "integer", value: "0" },
            OOM,
            { type: "status", value: "OK" },
            OOM,
            { type: "error", value: "EXECABORT Transaction discarded because of previous errors." },
          ],
        });
        expect({ kind, reply: await connection.call("CONFIG", "SET", "maxmemory", "0") }).toEqual({
          kind,
          reply: { type: "status", value: "OK" },
        });
        expect({ kind, reply: await connection.call("SET", "k", "v") }).toEqual({
          kind,
          reply: { type: "status", value: "OK" },
        });
      } finally {
        connection.close();
        await spawned.stop();
      }
    }
  }, 60_000);
});

describe("maxmemory eviction policies", () => {
  it("allkeys-lru keeps the keys in use and evicts idle ones, staying under the limit", async () => {
    server = await startInProcess(["--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru"]);
    const connection = await server.connect();
    await fill(connection, "cold:", 400);
    await fill(connection, "hot:", 100);
    // New keys arrive in batches while the hot keys keep being read, so the cold ones go idle longest.
    for (let batch = 0; batch < 10; batch += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await connection.pipeline(Array.from({ length: 100 }, (_, index) => ["GET", `hot:${index}`]));
      await fill(connection, `new${batch}:`, 200);
    }
    expect(await usedForMaxmemory(connection)).toBeLessThanOrEqual(2 * 1024 * 1024);
    const evicted = Number(
      /evicted_keys:(\d+)/.exec(((await connection.call("INFO", "stats")) as { value: string }).value)?.[1],
    );
    expect(evicted).toBeGreaterThan(400);
    expect(await surviving(connection, "hot:", 100)).toBeGreaterThanOrEqual(80);
    expect(await surviving(connection, "cold:", 400)).toBeLessThan(200);
    // Evicted keys reach the AOF as DEL.
    expect(server.propagated.some((entry) => entry.argv[0] === "DEL")).toBe(true);
  });

  it("allkeys-lfu keeps frequently used keys", async () => {
    server = await startInProcess(["--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lfu"]);
    const connection = await server.connect();
    await fill(connection, "hot:", 100);
    for (let round = 0; round < 20; round += 1)
      await connection.pipeline(Array.from({ length: 100 }, (_, index) => ["GET", `hot:${index}`]));
    await fill(connection, "new:", 2500);
    expect(await usedForMaxmemory(connection)).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(await surviving(connection, "hot:", 100)).toBeGreaterThanOrEqual(80);
  });

  it("volatile-ttl evicts the nearest expiry first and never a key without TTL; with none left, -OOM", async () => {
    server = await startInProcess(["--maxmemory", "2mb", "--maxmemory-policy", "volatile-ttl"]);
    const connection = await server.connect();
    await fill(connection, "keep:", 300);
    await fill(connection, "soon:", 300, () => 1_000_000);
    await fill(connection, "late:", 300, () => 9_000_000);
    await fill(connection, "more:", 600, () => 5_000_000);
    expect(await surviving(connection, "keep:", 300)).toBe(300);
    expect(await surviving(connection, "soon:", 300)).toBeLessThan(await surviving(connection, "late:", 300));
    // Fill with persistent keys until nothing volatile is left to evict.
    let reply: Reply = { type: "status", value: "OK" };
    for (let index = 0; index < 5000 && reply.type !== "error"; index += 1)
      reply = await connection.call("SET", `forever:${index}`, VALUE);
    expect(reply).toEqual(OOM);
    expect(await integer(connection, "EXISTS", "keep:0")).toBe(1);
  });

  it("allkeys-random evicts until under the limit, also when CONFIG SET lowers maxmemory", async () => {
    server = await startInProcess(["--maxmemory-policy", "allkeys-random"]);
    const connection = await server.connect();
    await fill(connection, "k:", 3000);
    expect(await integer(connection, "DBSIZE")).toBe(3000);
    expect(await connection.call("CONFIG", "SET", "maxmemory", "1mb")).toEqual({ type: "status", value: "OK" });
    // Eviction cut short by its time limit goes on between commands, as Redis's eviction time proc.
    for (let attempt = 0; attempt < 100 && (await usedForMaxmemory(connection)) > 1024 * 1024; attempt += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await usedForMaxmemory(connection)).toBeLessThanOrEqual(1024 * 1024);
    const left = await integer(connection, "DBSIZE");
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(1000);
  });
});
