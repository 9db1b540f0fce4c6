// Blocked pops served later reach the AOF as the non-blocking commands that served them (BLPOP →
// LPOP, BLMOVE → LMOVE, BLMPOP → LPOP key count, BZPOPMIN → ZPOPMIN, BZMPOP → ZPOPMAX key count,
// BRPOPLPUSH → RPOPLPUSH, after the MULTI/EXEC that fed it), and replaying that AOF rebuilds the same
// data: in the engine after a restart, and in a real redis-server 7.0 given the same appendonlydir.
import { cpSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { waitForBlockedClients } from "../helpers/blocked-clients.ts";
import { RespConnection, type Reply } from "../helpers/resp-client.ts";
import { hasRedisServer, makeTempDir } from "../helpers/servers.ts";
import { startServer, type ServerProcess } from "../engine/aof/support/processes.ts";

const dirs: string[] = [];
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const ARGS = [
  "--appendonly",
  "yes",
  "--appendfsync",
  "always",
  "--aof-use-rdb-preamble",
  "no",
  "--enable-debug-command",
  "yes",
];

/** The commands of every incr file of an appendonlydir, in order (RESP arrays decoded). */
function readIncrCommands(dir: string): string[][] {
  const aofDir = join(dir, "appendonlydir");
  const files = readdirSync(aofDir)
    .filter((name) => name.includes(".incr."))
    .sort((a, b) => Number(/\.(\d+)\.incr/.exec(a)?.[1]) - Number(/\.(\d+)\.incr/.exec(b)?.[1]));
  const commands: string[][] = [];
  for (const file of files) {
    const text = readFileSync(join(aofDir, file)).toString("latin1");
    let at = 0;
    while (at < text.length) {
      const headerEnd = text.indexOf("\r\n", at);
      const count = Number(text.slice(at + 1, headerEnd));
      at = headerEnd + 2;
      const argv: string[] = [];
      for (let index = 0; index < count; index += 1) {
        const lengthEnd = text.indexOf("\r\n", at);
        const length = Number(text.slice(at + 1, lengthEnd));
        argv.push(text.slice(lengthEnd + 2, lengthEnd + 2 + length));
        at = lengthEnd + 2 + length + 2;
      }
      commands.push(argv);
    }
  }
  return commands;
}

const bulk = (value: string): Reply => ({ type: "bulk", value });
const array = (...value: Reply[]): Reply => ({ type: "array", value });

async function digest(connection: RespConnection): Promise<string> {
  const reply = await connection.call("DEBUG", "DIGEST");
  return reply.type === "status" ? reply.value : JSON.stringify(reply);
}

describe("served blocked pops in the AOF", () => {
  it("are written as the pops that served them, and replaying them rebuilds the same data", async () => {
    const dir = makeTempDir("blocking-aof");
    dirs.push(dir);
    const engine = await startServer("engine", { dir, args: ARGS });
    servers.push(engine);
    const [waiter, writer] = await Promise.all([RespConnection.open(engine.port), RespConnection.open(engine.port)]);

    let reply = waiter.call("BLPOP", "q1", "0");
    await waitForBlockedClients(writer, 1);
    await writer.call("RPUSH", "q1", "a", "b");
    expect(await reply).toEqual(array(bulk("q1"), bulk("a")));

    reply = waiter.call("BLMOVE", "src", "dst", "RIGHT", "LEFT", "0");
    await waitForBlockedClients(writer, 1);
    await writer.call("LPUSH", "src", "x", "y");
    expect(await reply).toEqual(bulk("x"));

    reply = waiter.call("BLMPOP", "0", "2", "m1", "m2", "LEFT", "COUNT", "5");
    await waitForBlockedClients(writer, 1);
    await writer.call("RPUSH", "m2", "1", "2", "3");
    expect(await reply).toEqual(array(bulk("m2"), array(bulk("1"), bulk("2"), bulk("3"))));

    reply = waiter.call("BZPOPMIN", "z1", "0");
    await waitForBlockedClients(writer, 1);
    await writer.call("ZADD", "z1", "1", "a", "2", "b");
    expect(await reply).toEqual(array(bulk("z1"), bulk("a"), bulk("1")));

    reply = waiter.call("BZMPOP", "0", "1", "z2", "MAX", "COUNT", "2");
    await waitForBlockedClients(writer, 1);
    await writer.call("ZADD", "z2", "1", "a", "2", "b", "3", "c");
    expect(await reply).toEqual(array(bulk("z2"), array(array(bulk("c"), bulk("3")), array(bulk("b"), bulk("2")))));

    reply = waiter.call("BRPOPLPUSH", "rp", "dst2", "0");
    await waitForBlockedClients(writer, 1);
    await writer.call("MULTI");
    await writer.call("RPUSH", "rp", "p");
    await writer.call("RPUSH", "rp", "q");
    await writer.call("EXEC");
    expect(await reply).toEqual(bulk("q"));

    expect(await waiter.call("BLPOP", "nothing", "0.05")).toEqual({ type: "nilarray" });

    const written = readIncrCommands(dir).filter((argv) => (argv[0] as string).toUpperCase() !== "SELECT");
    expect(written).toEqual([
      ["RPUSH", "q1", "a", "b"],
      ["LPOP", "q1"],
      ["LPUSH", "src", "x", "y"],
      ["LMOVE", "src", "dst", "right", "left"],
      ["RPUSH", "m2", "1", "2", "3"],
      ["LPOP", "m2", "3"],
      ["ZADD", "z1", "1", "a", "2", "b"],
      ["ZPOPMIN", "z1"],
      ["ZADD", "z2", "1", "a", "2", "b", "3", "c"],
      ["ZPOPMAX", "z2", "2"],
      ["MULTI"],
      ["RPUSH", "rp", "p"],
      ["RPUSH", "rp", "q"],
      ["EXEC"],
      ["RPOPLPUSH", "rp", "dst2"],
    ]);

    const before = await digest(writer);
    waiter.close();
    writer.close();
    await engine.stop();

    // The engine replays its own AOF into the same data.
    const restarted = await startServer("engine", { dir, args: ARGS });
    servers.push(restarted);
    const check = await RespConnection.open(restarted.port);
    expect(await digest(check)).toBe(before);
    expect(await check.call("LRANGE", "dst", "0", "-1")).toEqual(array(bulk("x")));
    expect(await check.call("ZRANGE", "z2", "0", "-1", "WITHSCORES")).toEqual(array(bulk("a"), bulk("1")));
    check.close();
    await restarted.stop();

    // So does redis-server 7.0 (same digest algorithm: DEBUG DIGEST of the engine matches Redis's).
    if (hasRedisServer()) {
      const redisDir = makeTempDir("blocking-aof-redis");
      dirs.push(redisDir);
      cpSync(join(dir, "appendonlydir"), join(redisDir, "appendonlydir"), { recursive: true });
      const redis = await startServer("redis", { dir: redisDir, args: ARGS });
      servers.push(redis);
      const redisCheck = await RespConnection.open(redis.port);
      expect(await digest(redisCheck)).toBe(before);
      redisCheck.close();
    }
  }, 60_000);
});
