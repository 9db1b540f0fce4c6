// Power-loss mechanism on a real Node process under the LD_PRELOAD shim: unsynced bytes are lost (torn
// tail between synced and written), synced bytes survive, unsynced renames/creates/unlinks are undone.
import { spawn } from "node:child_process";
import { appendFile, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDir } from "../../../src/harness/engines/ports.ts";
import { applyPowerCut, type PowerCutOptions } from "../../../src/harness/nemesis/power-loss/apply-power-cut.ts";
import { compilePowerLossShim } from "../../../src/harness/shim/compile-shim.ts";
import { powerLossEnv } from "../../../src/harness/shim/environment.ts";
import { preparePowerLossFault } from "../../../src/harness/nemesis/power-loss/fault.ts";
import { readFsyncLatency } from "../../../src/harness/shim/fsync-latency.ts";
import { readJournal } from "../../../src/harness/shim/journal.ts";

const FIXTURE = fileURLToPath(new URL("./fixtures/fs-script.mjs", import.meta.url));
// The fixture checks Node's libuv file calls: under Deno, run it with the node on PATH.
const NODE = process.versions["deno"] === undefined ? process.execPath : "node";
const shim = await compilePowerLossShim();
let root = "";

type Step = [string, ...(string | number)[]];

// Runs the fixture under the shim until it prints "done", then SIGKILLs it (by its own pid).
async function runScript(name: string, steps: readonly Step[]): Promise<{ dataDir: string; logPath: string }> {
  if (!shim.available) throw new Error(shim.reason);
  const base = join(root, name);
  const dataDir = join(base, "data");
  const logPath = join(base, "journal.log");
  await mkdir(dataDir, { recursive: true });
  const child = spawn(NODE, [FIXTURE, dataDir, JSON.stringify(steps)], {
    env: { ...process.env, ...powerLossEnv(dataDir, logPath, shim.libraryPath) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("fixture did not finish in 10 s")), 10_000);
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("done")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`fixture exited early with ${String(code)}`)));
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
  return { dataDir, logPath };
}

async function cut(run: { dataDir: string; logPath: string }, extra: Partial<PowerCutOptions> = {}) {
  return applyPowerCut({ dataDir: run.dataDir, logPath: run.logPath, seed: 7, ...extra });
}

const durableFile = (name: string, char: string, count: number): Step[] => [
  ["write", name, char, count],
  ["fsync", name],
  ["fsync-dir"],
];

beforeAll(async () => {
  root = await createTempDir("power-loss");
});
afterAll(async () => {
  if (root !== "") await rm(root, { recursive: true, force: true });
});

describe("power-loss shim build", () => {
  it("compiles with gcc and caches by source hash", async () => {
    expect(shim).toMatchObject({ available: true });
    const again = await compilePowerLossShim();
    expect(again).toMatchObject({ available: true, libraryPath: shim.available ? shim.libraryPath : "" });
  });

  it("reports unavailability instead of throwing when the compiler is missing", async () => {
    const missing = await compilePowerLossShim({
      compiler: "persistlab-no-such-gcc",
      cacheDir: join(root, "no-cache"),
    });
    expect(missing.available).toBe(false);
    if (!missing.available) expect(missing.reason).toMatch(/^persistlab-no-such-gcc not found/);
    // The fault says which fault it skips, and why.
    const fault = await preparePowerLossFault({ compiler: "persistlab-no-such-gcc", cacheDir: join(root, "no-cache") });
    expect(fault).toMatchObject({
      available: false,
      reason: expect.stringMatching(/^power-loss fault unavailable: persistlab-no-such-gcc not found/),
    });
  });
});

describe("power cut on a Node process", () => {
  it("keeps synced bytes and loses unsynced ones, down to the synced length", async () => {
    const run = await runScript("tail-synced-only", [
      ...durableFile("a.bin", "A", 1000),
      ["write", "a.bin", "B", 1000],
    ]);
    const report = await cut(run, { tailMode: "synced-only" });
    const bytes = await readFile(join(run.dataDir, "a.bin"));
    expect(bytes.length).toBe(1000);
    expect(bytes.every((byte) => byte === 0x41)).toBe(true);
    expect(report.files).toEqual([
      {
        path: "a.bin",
        writtenBytes: 2000,
        syncedBytes: 1000,
        keptBytes: 1000,
        zeroFilledBytes: 0,
        unsyncedOverwriteBytes: 0,
      },
    ]);
    expect(report.lostBytes).toBe(1000);
  });

  it("tears the tail at a seeded point between synced and written, the same for the same seed", async () => {
    const steps: Step[] = [...durableFile("a.bin", "A", 1000), ["write", "a.bin", "B", 1000]];
    const kept: number[] = [];
    for (const seed of [1, 2, 3, 1]) {
      const run = await runScript(`tail-random-${kept.length}`, steps);
      const report = await cut(run, { seed });
      const bytes = await readFile(join(run.dataDir, "a.bin"));
      expect(bytes.length).toBe(report.files[0]?.keptBytes);
      expect(bytes.subarray(0, 1000).every((byte) => byte === 0x41)).toBe(true);
      expect(bytes.subarray(1000).every((byte) => byte === 0x42)).toBe(true);
      kept.push(bytes.length);
    }
    for (const length of kept) expect(length).toBeGreaterThanOrEqual(1000);
    for (const length of kept) expect(length).toBeLessThanOrEqual(2000);
    expect(kept[3]).toBe(kept[0]);
    expect(new Set(kept).size).toBeGreaterThan(1);
  });

  it("can fill part of the lost range with zeros", async () => {
    const run = await runScript("zero-tail", [...durableFile("a.bin", "A", 100), ["write", "a.bin", "B", 5000]]);
    const report = await cut(run, { zeroFillProbability: 1 });
    const file = report.files[0];
    const bytes = await readFile(join(run.dataDir, "a.bin"));
    expect(file?.zeroFilledBytes).toBeGreaterThan(0);
    expect(bytes.length).toBe((file?.keptBytes ?? 0) + (file?.zeroFilledBytes ?? 0));
    expect(bytes.subarray(file?.keptBytes).every((byte) => byte === 0)).toBe(true);
  });

  it("fdatasync counts as a sync and every byte written before it survives", async () => {
    const run = await runScript("fdatasync", [
      ["write", "a.bin", "A", 300],
      ["fsync-dir"],
      ["write", "a.bin", "A", 200],
      ["fdatasync", "a.bin"],
    ]);
    await cut(run, { tailMode: "synced-only" });
    expect((await readFile(join(run.dataDir, "a.bin"))).length).toBe(500);
  });

  it("undoes a rename whose directory was not fsynced and restores the replaced file", async () => {
    const run = await runScript("rename-unsynced", [
      ...durableFile("db.rdb", "O", 64),
      ["write", "temp.rdb", "N", 128],
      ["fsync", "temp.rdb"],
      ["close", "temp.rdb"],
      ["rename", "temp.rdb", "db.rdb"],
    ]);
    const report = await cut(run);
    expect(await readFile(join(run.dataDir, "db.rdb"))).toEqual(Buffer.alloc(64, "O"));
    expect(await readdir(run.dataDir)).toEqual(["db.rdb"]);
    // temp.rdb never had a durable name, so it simply is not there; db.rdb gets its old inode back.
    expect(report.undone).toEqual([
      { kind: "replace-undone", path: "db.rdb", from: expect.stringContaining(".shadow/") as unknown as string },
    ]);
  });

  it("keeps a rename followed by a directory fsync", async () => {
    const run = await runScript("rename-synced", [
      ...durableFile("db.rdb", "O", 64),
      ["write", "temp.rdb", "N", 128],
      ["fsync", "temp.rdb"],
      ["close", "temp.rdb"],
      ["rename", "temp.rdb", "db.rdb"],
      ["fsync-dir"],
    ]);
    const report = await cut(run);
    expect(await readFile(join(run.dataDir, "db.rdb"))).toEqual(Buffer.alloc(128, "N"));
    expect(await readdir(run.dataDir)).toEqual(["db.rdb"]);
    expect(report.undone).toEqual([]);
  });

  it("drops a created file whose directory was never fsynced (posix), keeps it under the ext4 model", async () => {
    const steps: Step[] = [
      ["write", "new.aof", "X", 50],
      ["fsync", "new.aof"],
    ];
    const posix = await runScript("create-posix", steps);
    const posixReport = await cut(posix);
    expect(await readdir(posix.dataDir)).toEqual([]);
    expect(posixReport.undone).toEqual([{ kind: "create-dropped", path: "new.aof" }]);
    const ext4 = await runScript("create-ext4", steps);
    await cut(ext4, { namespaceModel: "ext4" });
    expect(await readFile(join(ext4.dataDir, "new.aof"))).toEqual(Buffer.alloc(50, "X"));
  });

  it("undoes an unlink that no directory fsync made durable", async () => {
    const run = await runScript("unlink", [
      ...durableFile("old.aof", "Z", 40),
      ["close", "old.aof"],
      ["unlink", "old.aof"],
    ]);
    const report = await cut(run);
    expect(await readFile(join(run.dataDir, "old.aof"))).toEqual(Buffer.alloc(40, "Z"));
    expect(report.undone).toEqual([expect.objectContaining({ kind: "unlink-undone", path: "old.aof" })]);
  });

  it("ignores a torn journal record and resets the journal after the cut", async () => {
    const run = await runScript("torn", [...durableFile("a.bin", "A", 10), ["write", "a.bin", "B", 10]]);
    await appendFile(run.logPath, "@0040 12345678 W\t17");
    const report = await cut(run, { tailMode: "synced-only" });
    expect(report.tornRecords).toBe(1);
    expect((await readFile(join(run.dataDir, "a.bin"))).length).toBe(10);
    expect((await readJournal(run.logPath)).events).toEqual([]);
  });

  it("records fsync latencies for the harness (count and percentiles)", async () => {
    const run = await runScript("latency", [
      ["write", "a.bin", "A", 10],
      ["fsync", "a.bin"],
      ["write", "a.bin", "A", 10],
      ["fdatasync", "a.bin"],
      ["fsync-dir"],
    ]);
    const summary = await readFsyncLatency(run.logPath);
    expect(summary).toMatchObject({ count: 2, fsyncCount: 1, fdatasyncCount: 1, directoryCount: 1, failed: 0 });
    expect(summary.p50Us).toBeGreaterThan(0);
    expect(summary.p99Us).toBeGreaterThanOrEqual(summary.p50Us);
    expect(summary.maxUs).toBe(Math.max(...summary.samplesUs));
  });

  it("leaves files the journal never mentions alone", async () => {
    const run = await runScript("untouched-setup", []);
    await writeFile(join(run.dataDir, "other.txt"), "keep me");
    await cut(run);
    expect(await readFile(join(run.dataDir, "other.txt"), "utf8")).toBe("keep me");
  });

  it("refuses a journal inside the data directory", () => {
    expect(() => powerLossEnv(root, join(root, "journal.log"), "/lib.so")).toThrow(/inside the data directory/);
  });

  it("bundles environment, journal path, cut and fsync latency per data directory", async () => {
    const prepared = await preparePowerLossFault();
    if (!prepared.available) throw new Error(prepared.reason);
    const dataDir = join(root, "fault", "data");
    await mkdir(dataDir, { recursive: true });
    const child = spawn(
      NODE,
      [FIXTURE, dataDir, JSON.stringify([...durableFile("a.bin", "A", 10), ["write", "a.bin", "B", 10]])],
      {
        env: { ...process.env, ...prepared.fault.environment(dataDir) },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    await new Promise<void>((resolve) =>
      child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("done") && resolve()),
    );
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    expect(prepared.fault.journalPath(dataDir)).toBe(`${dataDir}.powerloss.log`);
    expect((await prepared.fault.fsyncLatency(dataDir)).count).toBe(1);
    const report = await prepared.fault.cut({ dataDir, seed: 1, tailMode: "synced-only" });
    expect(report.files).toMatchObject([{ path: "a.bin", writtenBytes: 20, syncedBytes: 10, keptBytes: 10 }]);
  });
});
