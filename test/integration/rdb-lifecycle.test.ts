// RDB persistence of the running engine, end to end: start-up loading and its refusal of damaged
// files (naming file, offset and reason), SAVE/BGSAVE/LASTSAVE/DEBUG RELOAD, save points, MISCONF,
// SHUTDOWN SAVE/NOSAVE and SIGTERM, the rdb_* INFO fields, and check-rdb.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RdbFileBuilder } from "../engine/rdb/file-builder.ts";
import { sendInlineCommand } from "../helpers/servers.ts";
import { ENGINE_BIN, SKIP_WITHOUT_REDIS, sleep, startServer, tempDir, type TestServer } from "../engine/rdb/helpers.ts";

const started: TestServer[] = [];
afterEach(async () => {
  for (const server of started.splice(0)) await server.kill("SIGKILL");
});

async function engine(
  dir: string,
  args: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<TestServer> {
  const server = await startServer({ kind: "engine", dir, args, env });
  started.push(server);
  return server;
}

function info(text: unknown): Record<string, string> {
  return Object.fromEntries(
    String(text)
      .split("\r\n")
      .filter((line) => line.includes(":"))
      .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1)]),
  );
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await sleep(50);
  }
}

describe("engine start-up with a dump file", () => {
  it("refuses to start on a truncated dump, naming the file, the offset and what was wrong", async () => {
    const dir = tempDir("truncated");
    const file = new RdbFileBuilder().selectDb(0).string("a", "1").string("b", "x".repeat(100)).finish();
    writeFileSync(join(dir, "dump.rdb"), file.subarray(0, 60));
    const server = await startServer({ kind: "engine", dir, args: ["--save", ""], noWait: true });
    started.push(server);
    const { code } = await server.exited;
    expect(code).toBe(1);
    expect(server.output()).toMatch(
      new RegExp(
        `Bad RDB file ${join(dir, "dump.rdb").replace(/[/.]/g, "\\$&")} at byte offset \\d+: .*unexpected end of file`,
      ),
    );
    expect(server.output()).not.toContain("Ready to accept connections");
  });

  it("refuses to start on a wrong checksum and on garbage", async () => {
    const dir = tempDir("checksum");
    const file = new RdbFileBuilder().selectDb(0).string("a", "1").finish();
    file[file.length - 2] = file[file.length - 2]! ^ 0xff;
    writeFileSync(join(dir, "dump.rdb"), file);
    const bad = await startServer({ kind: "engine", dir, args: ["--save", ""], noWait: true });
    started.push(bad);
    expect((await bad.exited).code).toBe(1);
    expect(bad.output()).toMatch(new RegExp(`at byte offset ${file.length - 8}: wrong RDB checksum`));
    writeFileSync(join(dir, "dump.rdb"), "not an rdb file at all");
    const garbage = await startServer({ kind: "engine", dir, args: ["--save", ""], noWait: true });
    started.push(garbage);
    expect((await garbage.exited).code).toBe(1);
    expect(garbage.output()).toMatch(/at byte offset 0: wrong signature/);
  });

  it("starts empty without a dump, loads one when present (rdbchecksum no skips verification)", async () => {
    const dir = tempDir("load");
    const empty = await engine(dir, ["--save", ""]);
    expect(await empty.client().call("DBSIZE")).toBe(0);
    await empty.kill();
    const file = new RdbFileBuilder().selectDb(0).string("a", "1").selectDb(3).string("b", "2").finish();
    file[file.length - 1] = file[file.length - 1]! ^ 1;
    writeFileSync(join(dir, "dump.rdb"), file);
    const loaded = await engine(dir, ["--save", "", "--rdbchecksum", "no"]);
    const client = loaded.client();
    expect(await client.call("GET", "a")).toBe("1");
    await client.call("SELECT", "3");
    expect(await client.call("GET", "b")).toBe("2");
    expect(info(await client.call("INFO", "persistence"))["rdb_last_load_keys_loaded"]).toBe("2");
    expect(loaded.output()).toContain("Done loading RDB, keys loaded: 2, keys expired: 0.");
  });

  it("runs the save path once after loading and before it accepts commands (the first BGSAVE does not compile it)", async () => {
    const server = await engine(tempDir("warm-up"), ["--save", "", "--loglevel", "verbose"]);
    const output = server.output();
    const warmed = output.search(/Save path warmed up in \d+\.\d ms/);
    expect(warmed).toBeGreaterThan(output.indexOf("Server initialized"));
    expect(warmed).toBeLessThan(output.indexOf("Ready to accept connections"));
  });
});

describe.skipIf(SKIP_WITHOUT_REDIS)("SAVE, BGSAVE, LASTSAVE, DEBUG RELOAD, INFO (checked with redis-check-rdb)", () => {
  it("saves, reports rdb_* fields as Redis 7.0 does, and reloads", async () => {
    const dir = tempDir("commands");
    const server = await engine(dir, ["--save", "", "--enable-debug-command", "yes"]);
    const client = server.client();
    let fields = info(await client.call("INFO", "persistence"));
    expect(Object.keys(fields).filter((name) => name.startsWith("rdb_"))).toEqual([
      "rdb_changes_since_last_save",
      "rdb_bgsave_in_progress",
      "rdb_last_save_time",
      "rdb_last_bgsave_status",
      "rdb_last_bgsave_time_sec",
      "rdb_current_bgsave_time_sec",
      "rdb_saves",
      "rdb_last_cow_size",
      "rdb_last_load_keys_expired",
      "rdb_last_load_keys_loaded",
    ]);
    expect(fields).toMatchObject({
      rdb_bgsave_in_progress: "0",
      rdb_last_bgsave_status: "ok",
      rdb_last_bgsave_time_sec: "-1",
      rdb_current_bgsave_time_sec: "-1",
      rdb_saves: "0",
    });
    expect(Math.abs(Number(fields["rdb_last_save_time"]) - Date.now() / 1000)).toBeLessThan(30);
    await client.call("SET", "a", "1");
    await client.call("SET", "b", "2");
    expect(info(await client.call("INFO", "persistence"))["rdb_changes_since_last_save"]).toBe("2");
    expect(await client.call("SAVE")).toBe("OK");
    fields = info(await client.call("INFO", "persistence"));
    expect(fields).toMatchObject({ rdb_changes_since_last_save: "0", rdb_saves: "1" });
    expect(Number(await client.call("LASTSAVE"))).toBe(Number(fields["rdb_last_save_time"]));
    await expect(client.call("BGSAVE", "NOW")).rejects.toThrow("ERR syntax error");
    await client.call("SET", "c", "3");
    expect(await client.call("BGSAVE")).toBe("Background saving started");
    await waitFor(async () => info(await client.call("INFO", "persistence"))["rdb_bgsave_in_progress"] === "0");
    fields = info(await client.call("INFO", "persistence"));
    expect(fields).toMatchObject({
      rdb_changes_since_last_save: "0",
      rdb_saves: "2",
      rdb_last_bgsave_status: "ok",
      rdb_last_bgsave_time_sec: "0",
    });
    // DEBUG RELOAD saves, empties and loads back.
    await client.call("SET", "d", "4");
    expect(await client.call("DEBUG", "RELOAD")).toBe("OK");
    expect(await client.call("DBSIZE")).toBe(4);
    expect(info(await client.call("INFO", "persistence"))["rdb_last_load_keys_loaded"]).toBe("4");
    await client.call("SET", "e", "5");
    expect(await client.call("DEBUG", "RELOAD", "NOSAVE")).toBe("OK");
    expect(await client.call("EXISTS", "e")).toBe(0);
    await expect(client.call("DEBUG", "RELOAD", "FAST")).rejects.toThrow(
      "DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.",
    );
    const report = execFileSync("redis-check-rdb", [join(dir, "dump.rdb")], { encoding: "utf8" });
    expect(report).toContain("[info] 4 keys read");
  });

  it("answers BGSAVE errors as Redis: already in progress (also to SAVE)", async () => {
    const dir = tempDir("busy");
    const server = await engine(dir, ["--save", "", "--rdb-key-save-delay", "200"]);
    const client = server.client();
    for (let index = 0; index < 20; index += 1)
      await client.call("MSET", ...Array.from({ length: 200 }, (_, item) => [`k${index}:${item}`, "v"]).flat());
    expect(await client.call("BGSAVE")).toBe("Background saving started");
    await expect(client.call("BGSAVE")).rejects.toThrow("ERR Background save already in progress");
    await expect(client.call("BGSAVE", "SCHEDULE")).rejects.toThrow("ERR Background save already in progress");
    await expect(client.call("SAVE")).rejects.toThrow("ERR Background save already in progress");
    const fields = info(await client.call("INFO", "persistence"));
    expect(fields["rdb_bgsave_in_progress"]).toBe("1");
    expect(Number(fields["current_save_keys_total"])).toBe(4000);
    await waitFor(async () => info(await client.call("INFO", "persistence"))["rdb_bgsave_in_progress"] === "0", 30_000);
  });
});

describe("save points, MISCONF, shutdown", () => {
  it("fires a save point: `save 1 1` saves about a second after a write", async () => {
    const dir = tempDir("savepoint");
    const server = await engine(dir, ["--save", "1 1"]);
    const client = server.client();
    const before = Number(await client.call("LASTSAVE"));
    await client.call("SET", "k", "v");
    await waitFor(async () => Number(await client.call("LASTSAVE")) > before, 10_000);
    expect(server.output()).toContain("1 changes in 1 seconds. Saving...");
    expect(existsSync(join(dir, "dump.rdb"))).toBe(true);
  });

  it("answers MISCONF to writes after a failed BGSAVE, and accepts them again after a good one", async () => {
    const dir = tempDir("misconf");
    const server = await engine(dir, ["--save", "3600 1"]);
    // A directory where the dump should go: the final rename fails.
    mkdirSync(join(dir, "dump.rdb"));
    const client = server.client();
    await client.call("SET", "k", "v");
    expect(await client.call("BGSAVE")).toBe("Background saving started");
    await waitFor(async () => info(await client.call("INFO", "persistence"))["rdb_last_bgsave_status"] === "err");
    await expect(client.call("SET", "k", "w")).rejects.toThrow(/^MISCONF Redis is configured to save RDB snapshots/);
    await expect(client.call("PING")).rejects.toThrow(/^MISCONF /);
    expect(await client.call("MULTI")).toBe("OK");
    await expect(client.call("SET", "k", "x")).rejects.toThrow(/^MISCONF /);
    await expect(client.call("EXEC")).rejects.toThrow(/^EXECABORT /);
    expect(await client.call("GET", "k")).toBe("v");
    expect(server.output()).toMatch(/Background saving error/);
    rmSync(join(dir, "dump.rdb"), { recursive: true });
    await client.call("BGSAVE");
    await waitFor(async () => info(await client.call("INFO", "persistence"))["rdb_last_bgsave_status"] === "ok");
    expect(await client.call("SET", "k", "w")).toBe("OK");
  });

  it("SHUTDOWN NOSAVE writes nothing, SHUTDOWN SAVE and SIGTERM with save points write the final dump", async () => {
    const dir = tempDir("shutdown");
    let server = await engine(dir, ["--save", "3600 1"]);
    await server.client().call("SET", "k", "1");
    await server
      .client()
      .call("SHUTDOWN", "NOSAVE")
      .catch(() => {});
    expect((await server.exited).code).toBe(0);
    expect(existsSync(join(dir, "dump.rdb"))).toBe(false);

    server = await engine(dir, ["--save", ""]);
    await server.client().call("SET", "k", "2");
    await server
      .client()
      .call("SHUTDOWN", "SAVE")
      .catch(() => {});
    expect((await server.exited).code).toBe(0);
    expect(server.output()).toContain("Saving the final RDB snapshot before exiting.");

    server = await engine(dir, ["--save", "3600 1"]);
    expect(await server.client().call("GET", "k")).toBe("2");
    await server.client().call("SET", "k", "3");
    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);

    server = await engine(dir, ["--save", ""]);
    expect(await server.client().call("GET", "k")).toBe("3");
    await server.client().call("SET", "k", "4");
    server.child.kill("SIGTERM");
    await server.exited;
    server = await engine(dir, ["--save", ""]);
    expect(await server.client().call("GET", "k")).toBe("3");
  });
});

describe("SHUTDOWN during a BGSAVE", () => {
  it("stops the background save, removes its temp file, and writes the final dump", async () => {
    const dir = tempDir("shutdown-bgsave");
    const server = await engine(dir, ["--save", "", "--rdb-key-save-delay", "500"]);
    const client = server.client();
    for (let index = 0; index < 10; index += 1)
      await client.call("MSET", ...Array.from({ length: 500 }, (_, item) => [`k${index}:${item}`, "v"]).flat());
    expect(await client.call("BGSAVE")).toBe("Background saving started");
    await sleep(200);
    expect(info(await client.call("INFO", "persistence"))["rdb_bgsave_in_progress"]).toBe("1");
    await client.call("SHUTDOWN", "SAVE").catch(() => {});
    expect((await server.exited).code).toBe(0);
    expect(server.output()).toContain("Killing running background save");
    expect(readdirSync(dir).filter((name) => name.startsWith("temp-"))).toEqual([]);
    const report = execFileSync(process.execPath, [ENGINE_BIN, "--check-rdb", join(dir, "dump.rdb")], {
      encoding: "utf8",
    });
    expect(report).toContain("[info] 5000 keys read");
  });
});

describe("FLUSHALL and persistence (as Redis 7.0's flushAllDataAndResetRDB)", () => {
  it("stops a running BGSAVE and, with save points, saves the empty data set at once", async () => {
    const dir = tempDir("flushall-bgsave");
    const server = await engine(dir, ["--save", "3600 1", "--rdb-key-save-delay", "500"]);
    const client = server.client();
    for (let index = 0; index < 10; index += 1)
      await client.call("MSET", ...Array.from({ length: 500 }, (_, item) => [`k${index}:${item}`, "v"]).flat());
    expect(await client.call("BGSAVE")).toBe("Background saving started");
    await sleep(200);
    expect(await client.call("FLUSHALL")).toBe("OK");
    // The dump is the empty data set right away, and nothing is left unsaved (Redis: rdb_changes_since_last_save:0).
    let report = execFileSync(process.execPath, [ENGINE_BIN, "--check-rdb", join(dir, "dump.rdb")], {
      encoding: "utf8",
    });
    expect(report).toContain("[info] 0 keys read");
    await waitFor(async () => info(await client.call("INFO", "persistence"))["rdb_bgsave_in_progress"] === "0");
    const fields = info(await client.call("INFO", "persistence"));
    expect(fields["rdb_changes_since_last_save"]).toBe("0");
    expect(fields["rdb_last_bgsave_status"]).toBe("ok");
    expect(server.output()).toContain("Killing running background save");
    // The stopped save neither replaced the dump with the old data set nor left its temp file.
    report = execFileSync(process.execPath, [ENGINE_BIN, "--check-rdb", join(dir, "dump.rdb")], { encoding: "utf8" });
    expect(report).toContain("[info] 0 keys read");
    expect(readdirSync(dir).filter((name) => name.startsWith("temp-"))).toEqual([]);
  });

  it("is logged to the AOF even when nothing was unsaved before it (it must not come back after a restart)", async () => {
    const dir = tempDir("flushall-aof");
    const args = ["--save", "3600 1", "--appendonly", "yes", "--appendfsync", "always"];
    const first = await engine(dir, args);
    const client = first.client();
    await client.call("SET", "a", "1");
    expect(await client.call("SAVE")).toBe("OK");
    expect(await client.call("FLUSHALL")).toBe("OK");
    await client.call("SET", "b", "2");
    await first.kill("SIGKILL");
    const second = await engine(dir, args);
    const again = second.client();
    expect(await again.call("KEYS", "*")).toEqual(["b"]);
  });
});

describe("SHUTDOWN while loading", () => {
  it("exits without saving, even with save points (a save could overwrite the file with part of it)", async () => {
    const dir = tempDir("shutdown-loading");
    const builder = new RdbFileBuilder().selectDb(0);
    for (let index = 0; index < 20_000; index += 1) builder.string(`key:${index}`, `value-${index}`);
    const file = builder.finish();
    writeFileSync(join(dir, "dump.rdb"), file);
    // key-load-delay holds loading for about 2 s (100 µs a key), however fast the machine loads: a big file
    // alone sometimes loaded before the client's first PING got an answer.
    const server = await startServer({
      kind: "engine",
      dir,
      args: ["--save", "3600 1", "--key-load-delay", "100"],
      noWait: true,
    });
    started.push(server);
    // Wait until it answers LOADING, then ask for a shutdown that would normally save. Raw RESP on a socket:
    // ioredis's ready check would hold the PING until loading ended and never show the LOADING reply.
    await waitFor(async () => (await sendInlineCommand(server.port, "PING")).startsWith("-LOADING"), 15_000);
    await sendInlineCommand(server.port, "SHUTDOWN");
    expect((await server.exited).code).toBe(0);
    expect(server.output()).toContain("User requested shutdown while loading the dataset: exiting without saving");
    expect(server.output()).not.toContain("Ready to accept connections");
    expect(readFileSync(join(dir, "dump.rdb")).equals(file)).toBe(true);
  });
});

describe("copy-on-write figures", () => {
  it("reports what the BGSAVE snapshot preserved as current_cow_size while it runs and rdb_last_cow_size after", async () => {
    const dir = tempDir("cow");
    const server = await engine(dir, ["--save", "", "--rdb-key-save-delay", "300"]);
    const client = server.client();
    for (let index = 0; index < 4; index += 1)
      await client.call(
        "MSET",
        ...Array.from({ length: 500 }, (_, item) => [`k${index}:${item}`, "x".repeat(200)]).flat(),
      );
    expect(await client.call("BGSAVE")).toBe("Background saving started");
    await sleep(100);
    // Overwrite keys the walk has not reached yet: their old values are kept for the snapshot.
    for (let item = 0; item < 500; item += 1) await client.call("SET", `k3:${item}`, "y");
    const during = info(await client.call("INFO", "persistence"));
    expect(during["rdb_bgsave_in_progress"]).toBe("1");
    expect(Number(during["current_cow_size"])).toBeGreaterThan(0);
    expect(during["current_cow_peak"]).toBe(during["current_cow_size"]);
    await waitFor(async () => info(await client.call("INFO", "persistence"))["rdb_bgsave_in_progress"] === "0", 30_000);
    const after = info(await client.call("INFO", "persistence"));
    expect(Number(after["rdb_last_cow_size"])).toBeGreaterThanOrEqual(Number(during["current_cow_size"]));
    expect(after["current_cow_size"]).toBe("0");
  });
});

describe("check-rdb", () => {
  it("prints aux fields, keys by type and OK for a valid file (exit 0); the first error with its offset (exit 1)", () => {
    const dir = tempDir("check");
    const file = new RdbFileBuilder()
      .aux("redis-ver", "7.0.15")
      .selectDb(0, [2, 1])
      .expireMs(Date.now() + 10_000)
      .string("a", "1")
      .hashListpack("h", [["f", "v"]])
      .finish();
    writeFileSync(join(dir, "good.rdb"), file);
    const good = spawnSync(process.execPath, [ENGINE_BIN, "--check-rdb", join(dir, "good.rdb")], { encoding: "utf8" });
    expect(good.status).toBe(0);
    expect(good.stdout).toContain("AUX FIELD redis-ver = '7.0.15'");
    expect(good.stdout).toContain("Checksum OK");
    expect(good.stdout).toContain("\\o/ RDB looks OK! \\o/");
    expect(good.stdout).toContain("[info] 2 keys read");
    expect(good.stdout).toContain("[info] 1 expires");
    expect(good.stdout).toContain("[info] 1 keys of type hash (listpack)");
    writeFileSync(join(dir, "bad.rdb"), file.subarray(0, file.length - 12));
    const bad = spawnSync(process.execPath, [ENGINE_BIN, "--check-rdb", join(dir, "bad.rdb")], { encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain("--- RDB ERROR DETECTED ---");
    expect(bad.stdout).toMatch(
      /\[offset \d+\] reading the value of key "h" \(hash \(listpack\)\): unexpected end of file/,
    );
    expect(readFileSync(join(dir, "good.rdb")).length).toBe(file.length);
  });
});
