// The append writer's durability rule with a controllable fsync: group commit under always (each turn
// written at once, one fsync at a time, a turn released by an fsync that began after its write),
// everysec's background fsync and Redis's postponement rule (aof_delayed_fsync after 2 s), no, and
// switching files mid-stream.
import { openSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AppendFsync } from "../../../src/engine/config/settings.ts";
import type { Logger } from "../../../src/engine/log.ts";
import { AOF_APPEND_FLAGS, AofAppendWriter } from "../../../src/engine/persistence/aof/append-writer.ts";
import { FsyncStats } from "../../../src/engine/persistence/aof/fsync-stats.ts";
import { makeTempDir } from "./support/processes.ts";

const root = makeTempDir("writer");
afterAll(() => rmSync(root, { recursive: true, force: true }));

const silent: Logger = {
  debug: () => {},
  verbose: () => {},
  notice: () => {},
  warning: () => {},
  raw: () => {},
  setLevel: () => {},
};
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
// Lets the event loop run until `check` holds (thread-pool calls such as close() take a few turns).
async function until(check: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !check(); turn += 1) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(check()).toBe(true);
}

// An fsync the test completes by hand; records the file's content at each call.
function createManualFsync(path: string): {
  fsync: (fd: number) => Promise<void>;
  calls: string[];
  release: () => void;
  releaseLast: () => void;
  pending: () => number;
} {
  const waiting: (() => void)[] = [];
  const calls: string[] = [];
  return {
    calls,
    fsync: () => {
      calls.push(readFileSync(path, "latin1"));
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    release: () => waiting.shift()?.(),
    releaseLast: () => waiting.pop()?.(),
    pending: () => waiting.length,
  };
}

let fileCounter = 0;
function setUp(policy: AppendFsync, clock = { now: 1000 }) {
  const path = join(root, `incr-${(fileCounter += 1)}.aof`);
  const manual = createManualFsync(path);
  let settings = { policy };
  const writer = new AofAppendWriter({
    policy: () => settings.policy,
    skipFsync: () => false,
    stats: new FsyncStats(),
    log: silent,
    nowSec: () => clock.now,
    onWritten: () => {},
    fsync: manual.fsync,
  });
  writer.attach(openSync(path, AOF_APPEND_FLAGS, 0o644), 0);
  return { path, writer, manual, clock, setPolicy: (next: AppendFsync) => (settings = { policy: next }) };
}

function track(promise: Promise<void> | null): { done: boolean } {
  const state = { done: promise === null };
  promise?.then(() => (state.done = true));
  return state;
}

describe("appendfsync always: group commit", () => {
  it("writes each turn at once; one fsync runs at a time and the next covers every turn written meanwhile", async () => {
    const { path, writer, manual } = setUp("always");
    const turns = ["A", "B", "C", "D"].map((text) => {
      writer.append(text);
      return track(writer.flushBeforeReplies());
    });
    // Written at once, while the first fsync runs.
    expect(readFileSync(path, "latin1")).toBe("ABCD");
    expect(manual.calls).toEqual(["A"]);
    manual.release();
    await settle();
    expect(turns.map((turn) => turn.done)).toEqual([true, false, false, false]);
    // The next fsync starts as soon as the first returns and covers B, C and D together.
    expect(manual.calls).toEqual(["A", "ABCD"]);
    manual.release();
    await settle();
    expect(turns.map((turn) => turn.done)).toEqual([true, true, true, true]);
    expect(manual.pending()).toBe(0);
    expect(writer.flushBeforeReplies()).toBeNull();
  });

  it("holds a turn without writes only while earlier writes are not durable", async () => {
    const { writer, manual } = setUp("always");
    expect(writer.flushBeforeReplies()).toBeNull();
    writer.append("X");
    const pending = track(writer.flushBeforeReplies());
    await settle();
    manual.release();
    await settle();
    expect(pending.done).toBe(true);
    expect(writer.flushBeforeReplies()).toBeNull();
  });
});

describe("appendfsync everysec", () => {
  it("writes at once, fsyncs in the background at most once a second, and postpones writes while that fsync runs", async () => {
    const clock = { now: 1000 };
    const { path, writer, manual } = setUp("everysec", clock);
    writer.append("A");
    expect(writer.flushBeforeReplies()).toBeNull();
    expect(readFileSync(path, "latin1")).toBe("A");
    await settle();
    expect(manual.calls).toHaveLength(0);
    clock.now = 1001;
    writer.append("B");
    expect(writer.flushBeforeReplies()).toBeNull();
    await settle();
    expect(manual.calls).toEqual(["AB"]);
    expect(writer.postponedWaits).toBe(0);
    writer.append("C");
    const postponed = track(writer.flushBeforeReplies());
    expect(postponed.done).toBe(false);
    expect(readFileSync(path, "latin1")).toBe("AB");
    expect(writer.bufferLength).toBe(1);
    // A second turn behind the same fsync joins the same wait.
    writer.append("D");
    const alsoPostponed = track(writer.flushBeforeReplies());
    await new Promise((resolve) => setTimeout(resolve, 20));
    manual.release();
    await settle();
    await settle();
    expect(postponed.done).toBe(true);
    expect(alsoPostponed.done).toBe(true);
    expect(readFileSync(path, "latin1")).toBe("ABCD");
    expect(writer.delayedFsync).toBe(0);
    // One wait (persistlab_aof_postponed_waits), as long as the fsync held it (persistlab_aof_postponed_wait_us).
    expect(writer.postponedWaits).toBe(1);
    expect(writer.postponedWaitUs).toBeGreaterThanOrEqual(15_000);
    expect(writer.postponedWaitUs).toBeLessThan(2_000_000);
  });

  it("writes anyway after 2 s behind a stuck fsync and counts aof_delayed_fsync", async () => {
    const clock = { now: 1000 };
    const { path, writer, manual } = setUp("everysec", clock);
    clock.now = 1001;
    writer.append("A");
    writer.flushBeforeReplies();
    await settle();
    expect(manual.pending()).toBe(1);
    writer.append("B");
    const held = track(writer.flushBeforeReplies());
    clock.now = 1002;
    writer.cron();
    expect(held.done).toBe(false);
    clock.now = 1003;
    writer.cron();
    await settle();
    expect(held.done).toBe(true);
    expect(readFileSync(path, "latin1")).toBe("AB");
    expect(writer.delayedFsync).toBe(1);
    manual.release();
  });

  it("fsyncs data left unsynced when writes stop (the empty-buffer rule)", async () => {
    const clock = { now: 1000 };
    const { writer, manual } = setUp("everysec", clock);
    writer.append("A");
    writer.flushBeforeReplies();
    await settle();
    expect(manual.calls).toHaveLength(0);
    clock.now = 1001;
    writer.cron();
    await settle();
    expect(manual.calls).toEqual(["A"]);
    manual.release();
  });
});

describe("appendfsync no, and switching files", () => {
  it("no: writes at once and never fsyncs", async () => {
    const clock = { now: 1000 };
    const { path, writer, manual } = setUp("no", clock);
    writer.append("A");
    expect(writer.flushBeforeReplies()).toBeNull();
    clock.now = 1005;
    writer.cron();
    await settle();
    expect(readFileSync(path, "latin1")).toBe("A");
    expect(manual.calls).toHaveLength(0);
  });

  it("a switch writes the buffer to the old file and keeps replies waiting for the old file's fsync", async () => {
    const { path, writer, manual } = setUp("always");
    writer.append("old");
    const nextPath = join(root, "next.aof");
    writer.switchTo(openSync(nextPath, AOF_APPEND_FLAGS, 0o644));
    expect(readFileSync(path, "latin1")).toBe("old");
    writer.append("new");
    const reply = track(writer.flushBeforeReplies());
    expect(readFileSync(nextPath, "latin1")).toBe("new");
    await settle();
    // The new file's group commit and the old file's retiring fsync run together.
    expect(manual.calls).toEqual(["old", "old"]);
    manual.release();
    await settle();
    expect(reply.done).toBe(false);
    manual.release();
    await until(() => reply.done);
    // persistlab_aof_appended_bytes counts both files' appends: a switch does not reset it.
    expect(writer.appendedBytes).toBe("old".length + "new".length);
  });
});

describe("switching to a file that is not reachable yet", () => {
  it("holds replies of writes to the new file until the manifest rename naming it is durable", async () => {
    const { writer, manual } = setUp("always");
    let reachable!: () => void;
    const renameDurable = new Promise<void>((resolve) => (reachable = resolve));
    writer.switchTo(openSync(join(root, "unreachable.aof"), AOF_APPEND_FLAGS, 0o644), renameDurable);
    writer.append("new");
    const reply = track(writer.flushBeforeReplies());
    await settle();
    while (manual.pending() > 0) {
      manual.release();
      await settle();
    }
    expect(reply.done).toBe(false);
    reachable();
    await until(() => reply.done);
  });
});
