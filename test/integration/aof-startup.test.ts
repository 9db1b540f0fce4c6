// The engine process with AOF: start-up repairs and refusals (truncated tail, corruption in the
// middle), upgrade of an old single appendonly.aof, AOF turned on and off at runtime, automatic
// rewrites, timestamp annotations, BGREWRITEAOF's replies, CONFIG SET of every AOF directive, and
// INFO persistence in Redis 7.0's field order.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeCommand, encodeSelect } from "../../src/engine/persistence/aof/command-encoder.ts";
import {
  ENGINE_BIN,
  makeTempDir,
  persistenceInfo,
  runEngineUntilExit,
  SKIP_WITHOUT_REDIS,
  startServer,
  waitFor,
  waitForRewriteDone,
} from "../engine/aof/support/processes.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(label: string): string {
  const dir = makeTempDir(label);
  dirs.push(dir);
  return dir;
}

const AOF_ON = ["--appendonly", "yes", "--aof-use-rdb-preamble", "no"];
const MANIFEST = "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n";
const BASE = encodeSelect(0) + encodeCommand(["SET", "base", "1"]);
const INCR = encodeSelect(0) + encodeCommand(["SET", "a", "1"]) + encodeCommand(["SET", "b", "2"]);

function writeAofDir(dir: string, incr: string): string {
  const aofDir = join(dir, "appendonlydir");
  mkdirSync(aofDir, { recursive: true });
  writeFileSync(join(aofDir, "appendonly.aof.manifest"), MANIFEST);
  writeFileSync(join(aofDir, "appendonly.aof.1.base.aof"), BASE, "latin1");
  writeFileSync(join(aofDir, "appendonly.aof.1.incr.aof"), incr, "latin1");
  return aofDir;
}

describe("start-up from a damaged AOF", () => {
  it("repairs a truncated last command with aof-load-truncated yes and refuses with no", async () => {
    const refusedDir = tempDir("trunc-no");
    const cut = INCR.slice(0, -5);
    writeAofDir(refusedDir, cut);
    const refused = await runEngineUntilExit({ dir: refusedDir, args: [...AOF_ON, "--aof-load-truncated", "no"] });
    expect(refused.code).toBe(1);
    const validUpTo = encodeSelect(0).length + encodeCommand(["SET", "a", "1"]).length;
    expect(refused.output).toContain(`appendonly.aof.1.incr.aof at byte offset ${validUpTo}`);
    expect(refused.output).toContain("persistlab check-aof --fix");

    const repairedDir = tempDir("trunc-yes");
    const aofDir = writeAofDir(repairedDir, cut);
    const server = await startServer("engine", { dir: repairedDir, args: AOF_ON });
    const client = server.client();
    expect(await client.get("a")).toBe("1");
    expect(await client.get("b")).toBeNull();
    expect(server.output()).toContain(`!!! Truncating the AOF appendonly.aof.1.incr.aof at offset ${validUpTo} !!!`);
    expect(statSync(join(aofDir, "appendonly.aof.1.incr.aof")).size).toBe(validUpTo);
    await client.set("after", "repair");
    await server.stop();
    const again = await startServer("engine", { dir: repairedDir, args: AOF_ON });
    expect(await again.client().get("after")).toBe("repair");
    await again.stop();
  });

  it("refuses corruption in the middle with the file, the offset and the hint; check-aof --fix makes it start", async () => {
    const dir = tempDir("corrupt");
    const aofDir = writeAofDir(dir, encodeSelect(0) + "%garbage\r\n" + INCR.slice(encodeSelect(0).length));
    writeFileSync(join(aofDir, "appendonly.aof.1.incr.aof"), readFileSync(join(aofDir, "appendonly.aof.1.incr.aof")));
    const refused = await runEngineUntilExit({ dir, args: AOF_ON });
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/Bad AOF appendonly\.aof\.1\.incr\.aof at byte offset 23: bad file format/);
    expect(refused.output).toContain(`persistlab check-aof --fix appendonlydir/appendonly.aof.manifest`);
    const fix = spawnSync(
      process.execPath,
      [ENGINE_BIN, "--check-aof", "--fix", join(aofDir, "appendonly.aof.manifest")],
      { input: "y\n", encoding: "utf8" },
    );
    expect(fix.stdout).toContain("Successfully truncated AOF appendonly.aof.1.incr.aof");
    const server = await startServer("engine", { dir, args: AOF_ON });
    expect(await server.client().get("base")).toBe("1");
    await server.stop();
  });
});

describe("upgrade from a single appendonly.aof", () => {
  it.each([
    ["commands", null],
    [
      "an RDB preamble written by redis-server 7.0.15",
      join(import.meta.dirname, "../engine/aof/fixtures/redis-7.0.15-preamble.aof"),
    ],
  ])("moves an old-style file (%s) into the directory and loads it", async (_label, fixture) => {
    const dir = tempDir("upgrade");
    if (fixture === null) writeFileSync(join(dir, "appendonly.aof"), INCR, "latin1");
    else copyFileSync(fixture, join(dir, "appendonly.aof"));
    const server = await startServer("engine", { dir, args: AOF_ON });
    const client = server.client();
    if (fixture === null) expect(await client.get("b")).toBe("2");
    else expect([await client.get("a"), await client.get("after"), await client.get("n")]).toEqual(["1", "1", "1"]);
    expect(server.output()).toContain(
      "Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory (appendonlydir).",
    );
    expect(readdirSync(dir)).not.toContain("appendonly.aof");
    const manifest = readFileSync(join(dir, "appendonlydir", "appendonly.aof.manifest"), "utf8");
    expect(manifest).toBe("file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
    await client.set("new", "write");
    await server.stop();
    const again = await startServer("engine", { dir, args: AOF_ON });
    expect(await again.client().get("new")).toBe("write");
    await again.stop();
  });
});

describe("AOF at runtime", () => {
  it("CONFIG SET appendonly yes writes a base of the data set first; no stops appending", async () => {
    const dir = tempDir("runtime");
    const server = await startServer("engine", { dir, args: ["--appendonly", "no"] });
    const client = server.client();
    await client.set("before", "1");
    expect((await persistenceInfo(client))["aof_enabled"]).toBe("0");
    expect(await client.config("SET", "appendonly", "yes")).toBe("OK");
    await waitForRewriteDone(client);
    const info = await persistenceInfo(client);
    expect(info["aof_enabled"]).toBe("1");
    expect(info["aof_rewrites"]).toBe("1");
    expect(readdirSync(join(dir, "appendonlydir")).sort()).toEqual([
      "appendonly.aof.1.base.rdb",
      "appendonly.aof.1.incr.aof",
      "appendonly.aof.manifest",
    ]);
    await client.set("during", "2");
    expect(await client.config("SET", "appendonly", "no")).toBe("OK");
    await client.set("after-off", "3");
    await waitFor("aof_enabled:0", async () => (await persistenceInfo(client))["aof_enabled"] === "0");
    await server.crash();
    const restarted = await startServer("engine", { dir, args: ["--appendonly", "yes"] });
    const restartedClient = restarted.client();
    expect([
      await restartedClient.get("before"),
      await restartedClient.get("during"),
      await restartedClient.get("after-off"),
    ]).toEqual(["1", "2", null]);
    await restarted.stop();
  });

  it("rewrites automatically when the AOF grew past auto-aof-rewrite-percentage and -min-size", async () => {
    const dir = tempDir("auto");
    const server = await startServer("engine", {
      dir,
      args: [...AOF_ON, "--auto-aof-rewrite-min-size", "10kb", "--auto-aof-rewrite-percentage", "50"],
    });
    const client = server.client();
    for (let index = 0; index < 400; index += 1) await client.set(`key:${index % 20}`, "v".repeat(50));
    await waitFor("an automatic rewrite", async () => Number((await persistenceInfo(client))["aof_rewrites"]) >= 1);
    const info = await waitForRewriteDone(client);
    // 400 SETs of ~90 bytes were appended; the rewritten AOF keeps 20 keys plus what came after the rewrite.
    expect(Number(info["aof_current_size"])).toBeLessThan(400 * 90);
    expect(Number(info["aof_base_size"])).toBeGreaterThan(0);
    expect(server.output()).toMatch(/Starting automatic rewriting of AOF on \d+% growth/);
    await server.stop();
  });

  it("writes #TS annotations with aof-timestamp-enabled, and check-aof --truncate-to-timestamp cuts there", async () => {
    const dir = tempDir("timestamps");
    const server = await startServer("engine", { dir, args: [...AOF_ON, "--aof-timestamp-enabled", "yes"] });
    const client = server.client();
    await client.set("first", "1");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await client.set("second", "2");
    await server.stop();
    const incr = readFileSync(join(dir, "appendonlydir", "appendonly.aof.1.incr.aof"), "latin1");
    const stamps = [...incr.matchAll(/#TS:(\d+)\r\n/g)].map((match) => Number(match[1]));
    expect(stamps.length).toBeGreaterThanOrEqual(2);
    const cut = spawnSync(
      process.execPath,
      [
        ENGINE_BIN,
        "--check-aof",
        "--truncate-to-timestamp",
        String(stamps[0]),
        join(dir, "appendonlydir", "appendonly.aof.manifest"),
      ],
      { encoding: "utf8" },
    );
    expect(cut.stdout).toContain(`Successfully truncated AOF appendonly.aof.1.incr.aof to timestamp ${stamps[0]}`);
    const restarted = await startServer("engine", { dir, args: AOF_ON });
    expect([await restarted.client().get("first"), await restarted.client().get("second")]).toEqual(["1", null]);
    await restarted.stop();
  });

  it("answers BGREWRITEAOF as Redis: started, already in progress, scheduled behind a BGSAVE", async () => {
    const dir = tempDir("replies");
    const server = await startServer("engine", { dir, args: [...AOF_ON, "--rdb-key-save-delay", "20000"] });
    const client = server.client();
    for (let index = 0; index < 50; index += 1) await client.set(`k${index}`, "v");
    expect(await client.bgrewriteaof()).toBe("Background append only file rewriting started");
    await expect(client.bgrewriteaof()).rejects.toThrow(
      "ERR Background append only file rewriting already in progress",
    );
    await waitForRewriteDone(client);
    expect(await client.bgsave()).toBe("Background saving started");
    expect(await client.bgrewriteaof()).toBe("Background append only file rewriting scheduled");
    expect((await persistenceInfo(client))["aof_rewrite_scheduled"]).toBe("1");
    await client.config("SET", "rdb-key-save-delay", "0");
    const info = await waitForRewriteDone(client);
    expect(info["aof_rewrites"]).toBe("2");
    await server.stop();
  });

  it("accepts CONFIG SET of every AOF directive, refuses the immutable ones as Redis does", async () => {
    const dir = tempDir("config");
    const server = await startServer("engine", { dir, args: AOF_ON });
    const client = server.client();
    const settable: [string, string][] = [
      ["appendfsync", "always"],
      ["appendfsync", "no"],
      ["appendfsync", "everysec"],
      ["auto-aof-rewrite-percentage", "150"],
      ["auto-aof-rewrite-min-size", "32mb"],
      ["aof-use-rdb-preamble", "no"],
      ["aof-load-truncated", "no"],
      ["aof-timestamp-enabled", "yes"],
      ["no-appendfsync-on-rewrite", "yes"],
      ["aof-rewrite-incremental-fsync", "no"],
    ];
    for (const [name, value] of settable) {
      expect(await client.config("SET", name, value)).toBe("OK");
      expect(await client.config("GET", name)).toEqual([
        name,
        name === "auto-aof-rewrite-min-size" ? String(32 * 1024 * 1024) : value,
      ]);
    }
    for (const name of ["appenddirname", "appendfilename"])
      await expect(client.config("SET", name, "other")).rejects.toThrow("can't set immutable config");
    await client.set("still", "works");
    await server.stop();
  });
});

describe.skipIf(SKIP_WITHOUT_REDIS)("INFO persistence", () => {
  it("prints Redis 7.0.15's fields in Redis's order, AOF on and off, then the engine's own figures", async () => {
    for (const appendonly of ["yes", "no"]) {
      const engine = await startServer("engine", { dir: tempDir("info-engine"), args: ["--appendonly", appendonly] });
      const redis = await startServer("redis", { dir: tempDir("info-redis"), args: ["--appendonly", appendonly] });
      const names = async (text: Promise<string>): Promise<string[]> =>
        (await text)
          .split("\r\n")
          .filter((line) => line.includes(":"))
          .map((line) => line.slice(0, line.indexOf(":")));
      const engineNames = await names(engine.client().info("persistence"));
      const redisNames = await names(redis.client().info("persistence"));
      expect(engineNames.filter((name) => !name.startsWith("persistlab_"))).toEqual(redisNames);
      expect(engineNames.filter((name) => name.startsWith("persistlab_"))).toEqual([
        "persistlab_fsync_count",
        "persistlab_fsync_p50_us",
        "persistlab_fsync_p99_us",
        "persistlab_fsync_max_us",
        "persistlab_aof_rewrite_loop_delay_max_us",
        "persistlab_aof_rewrite_loop_delay_own_max_us",
        "persistlab_aof_rewrite_loop_delay_own_gc_us",
        "persistlab_aof_rewrite_gc_pause_max_us",
        "persistlab_aof_postponed_waits",
        "persistlab_aof_postponed_wait_us",
        "persistlab_aof_appended_bytes",
      ]);
      await engine.stop();
      await redis.stop();
    }
  });
});
