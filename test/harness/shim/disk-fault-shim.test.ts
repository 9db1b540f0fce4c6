// The shim's disk faults on a real Node process: each kind fails the calls it should with the errno it
// should, only under the watched directory, only while the control file says so; fsync-eio with the drop
// flag cuts off what was written since the last good sync (the later fsync succeeds, the bytes are gone).
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTempDir } from "../../../src/harness/engines/ports.ts";
import { compilePowerLossShim } from "../../../src/harness/shim/compile-shim.ts";
import { DiskFaultControl } from "../../../src/harness/shim/disk-fault-control.ts";

const FIXTURE = fileURLToPath(new URL("./fixtures/fault-probe.mjs", import.meta.url));
const NODE = process.versions["deno"] === undefined ? process.execPath : "node";
const shim = await compilePowerLossShim();
let root = "";
const started: ChildProcessByStdio<Writable, Readable, null>[] = [];

type Answer = { ok?: unknown; error?: string };

// A shimmed Node process under `dataDir`, answering one op at a time.
async function startProbe(name: string): Promise<{
  dataDir: string;
  outside: string;
  control: DiskFaultControl;
  op: (...args: unknown[]) => Promise<Answer>;
}> {
  if (!shim.available) throw new Error(shim.reason);
  const base = join(root, name);
  const dataDir = join(base, "data");
  const outside = join(base, "outside");
  await mkdir(dataDir, { recursive: true });
  await mkdir(outside, { recursive: true });
  const control = DiskFaultControl.create(join(base, "fault.ctl"));
  const child = spawn(NODE, [FIXTURE, dataDir], {
    env: {
      ...process.env,
      LD_PRELOAD: shim.libraryPath,
      PERSISTLAB_POWERLOSS_DIR: dataDir,
      UV_USE_IO_URING: "0",
      ...control.env(),
    },
    stdio: ["pipe", "pipe", "inherit"],
  });
  started.push(child);
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const op = async (...args: unknown[]): Promise<Answer> => {
    child.stdin.write(`${JSON.stringify(args)}\n`);
    const next = await answers.next();
    if (next.done === true) throw new Error("probe exited");
    return JSON.parse(next.value) as Answer;
  };
  return { dataDir, outside, control, op };
}

beforeAll(async () => {
  root = await createTempDir("disk-fault-shim");
});
afterEach(() => {
  for (const child of started.splice(0)) child.stdin.end();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe.skipIf(!shim.available)("disk faults in the LD_PRELOAD shim", () => {
  it("disk-full: writes and creates fail with ENOSPC under the data directory only, then heal", async () => {
    const { control, op } = await startProbe("full");
    expect(await op("write", "aof", "before")).toEqual({ ok: 6 });
    control.set({ kind: "disk-full" });
    expect(await op("write", "aof", "during")).toEqual({ error: "ENOSPC" });
    expect(await op("create", "new.rdb", "x")).toEqual({ error: "ENOSPC" });
    expect(await op("mkdir", "appendonlydir")).toEqual({ error: "ENOSPC" });
    expect(await op("fsync", "aof")).toEqual({ ok: true });
    expect(await op("read", "aof")).toEqual({ ok: "before" });
    expect(await op("rename", "aof", "aof2")).toEqual({ ok: true });
    expect(control.counters()).toMatchObject({ writesFailed: 1, namesFailed: 2 });
    control.set(null);
    expect(await op("write", "aof", "after")).toEqual({ ok: 5 });
    expect(await op("create", "new.rdb", "x")).toEqual({ ok: true });
  });

  it("leaves files outside the watched directory alone", async () => {
    const { control, outside, op } = await startProbe("outside");
    control.set({ kind: "read-only" });
    expect(await op("create", "../outside/free.txt", "ok")).toEqual({ ok: true });
    expect(await readFile(join(outside, "free.txt"), "utf8")).toBe("ok");
    expect(await op("create", "blocked.txt", "no")).toEqual({ error: "EROFS" });
  });

  it("write-eio: writes fail with EIO, syncs still succeed", async () => {
    const { control, op } = await startProbe("write-eio");
    expect(await op("write", "aof", "abc")).toEqual({ ok: 3 });
    control.set({ kind: "write-eio" });
    expect(await op("write", "aof", "def")).toEqual({ error: "EIO" });
    expect(await op("fdatasync", "aof")).toEqual({ ok: true });
    control.set(null);
    expect(await op("write", "aof", "ghi")).toEqual({ ok: 3 });
    expect(await op("read", "aof")).toEqual({ ok: "abcghi" });
  });

  it("fsync-eio with drop: the failed fsync loses the unsynced tail, the next fsync succeeds", async () => {
    const { control, op } = await startProbe("fsync-drop");
    await op("write", "aof", "synced;");
    expect(await op("fsync", "aof")).toEqual({ ok: true });
    await op("write", "aof", "unsynced;");
    control.set({ kind: "fsync-eio", dropUnsynced: true });
    expect(await op("fdatasync", "aof")).toEqual({ error: "EIO" });
    control.set(null);
    expect(await op("fsync", "aof")).toEqual({ ok: true });
    expect(await op("read", "aof")).toEqual({ ok: "synced;" });
    expect(control.counters()).toMatchObject({ syncsFailed: 1, bytesDropped: 9 });
  });

  it("fsync-eio without drop: the sync fails, the bytes stay", async () => {
    const { control, op } = await startProbe("fsync-keep");
    await op("write", "aof", "abc");
    control.set({ kind: "fsync-eio" });
    expect(await op("fsync", "aof")).toEqual({ error: "EIO" });
    control.set(null);
    expect(await op("read", "aof")).toEqual({ ok: "abc" });
    expect(control.counters().bytesDropped).toBe(0);
  });

  it("slow-fsync: each sync waits the seeded delay", async () => {
    const { control, op } = await startProbe("slow");
    await op("write", "aof", "abc");
    control.set({ kind: "slow-fsync", delayMs: { min: 150, max: 200 }, seed: 3 });
    const slow = (await op("elapsed-fsync", "aof")).ok as number;
    expect(slow).toBeGreaterThanOrEqual(149);
    control.set(null);
    const fast = (await op("elapsed-fsync", "aof")).ok as number;
    expect(fast).toBeLessThan(slow);
    expect(control.counters()).toMatchObject({ syncsDelayed: 1 });
    expect(control.counters().delayTotalMs).toBeGreaterThanOrEqual(150);
  });

  it("read-only: opening for writing, creating, renaming, unlinking, truncating and writing fail with EROFS; reading works", async () => {
    const { control, op } = await startProbe("read-only");
    await op("create", "dump.rdb", "rdb");
    await op("write", "aof", "abc");
    control.set({ kind: "read-only" });
    expect(await op("write", "aof", "def")).toEqual({ error: "EROFS" });
    expect(await op("open", "other")).toEqual({ error: "EROFS" });
    expect(await op("create", "dump.rdb", "new")).toEqual({ error: "EROFS" });
    expect(await op("rename", "dump.rdb", "x.rdb")).toEqual({ error: "EROFS" });
    expect(await op("unlink", "dump.rdb")).toEqual({ error: "EROFS" });
    expect(await op("truncate", "dump.rdb", 0)).toEqual({ error: "EROFS" });
    expect(await op("read", "dump.rdb")).toEqual({ ok: "rdb" });
    control.set(null);
    expect(await op("rename", "dump.rdb", "x.rdb")).toEqual({ ok: true });
  });
});
