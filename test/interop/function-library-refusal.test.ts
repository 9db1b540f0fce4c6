// A dump.rdb or an AOF that holds a Redis 7 function library (FUNCTION LOAD), written by Debian's redis-server
// 7.0.15, is refused by the engine with an error naming the library (the engine has no scripting: loading
// the rest without it would lose it silently); check-rdb, which only reads, counts it instead.
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import {
  ENGINE_BIN,
  launchServer,
  makeTempDir,
  SKIP_WITHOUT_REDIS,
  spawnServer,
  type SpawnedServer,
} from "../helpers/servers.ts";

const LIBRARY = "#!lua name=audit_lib\nredis.register_function('audit_ping', function(keys, args) return 'pong' end)";

describe.skipIf(SKIP_WITHOUT_REDIS)("a function library in the files redis-server wrote", () => {
  const servers: SpawnedServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  // redis-server with the library and one key, saved as dump.rdb and (appendonly yes) as an AOF directory.
  async function writeWithRedis(appendonly: boolean): Promise<string> {
    const redis = await spawnServer("redis", appendonly ? ["--appendonly", "yes"] : []);
    servers.push(redis);
    const client = new Redis({ port: redis.port, host: "127.0.0.1", lazyConnect: true });
    await client.connect();
    await client.call("FUNCTION", "LOAD", LIBRARY);
    await client.set("kept", "value");
    if (!appendonly) await client.save();
    client.disconnect();
    const copy = makeTempDir("function-library");
    if (appendonly) cpSync(join(redis.dir, "appendonlydir"), join(copy, "appendonlydir"), { recursive: true });
    else copyFileSync(join(redis.dir, "dump.rdb"), join(copy, "dump.rdb"));
    return copy;
  }

  // Starts the engine on a folder and returns its exit code and output once it has exited.
  async function startEngine(dir: string, appendonly: boolean): Promise<{ code: number | null; output: string }> {
    const engine = launchServer("engine", [
      "--port",
      "0",
      "--dir",
      dir,
      "--appendonly",
      appendonly ? "yes" : "no",
      "--save",
      "",
    ]);
    const timer = setTimeout(() => engine.child.kill("SIGKILL"), 15_000);
    const exit = await engine.exited;
    clearTimeout(timer);
    return { code: exit.code, output: engine.output() };
  }

  it("refuses a dump.rdb holding one, naming it", { timeout: 60_000 }, async () => {
    const dir = await writeWithRedis(false);
    const started = await startEngine(dir, false);
    expect(started.code).not.toBe(0);
    expect(started.output).toMatch(/function library "audit_lib".*no scripting/);
    // check-rdb only reads: the file is valid, the library counted.
    const report = execFileSync(process.execPath, [ENGINE_BIN, "--check-rdb", join(dir, "dump.rdb")], {
      encoding: "utf8",
    });
    expect(report).toMatch(/1 function libraries/);
  });

  it("refuses an AOF holding FUNCTION LOAD, naming the library", { timeout: 60_000 }, async () => {
    const dir = await writeWithRedis(true);
    expect(readdirSync(join(dir, "appendonlydir")).some((name) => name.endsWith(".incr.aof"))).toBe(true);
    const started = await startEngine(dir, true);
    expect(started.code).not.toBe(0);
    expect(started.output).toMatch(/FUNCTION LOAD of the function library "audit_lib"/);
  });
});
