// The group-commit thread of appendfsync always, on real files: it covers what was written before each
// fsync began, reports every call's duration, fails a file generation for good after an fsync error, and
// its commit delay never holds an fsync past its cap when the released clients do not come back.
import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fdatasync } from "node:fs";
import { createGroupCommitter, type GroupCommitter } from "../../../src/engine/persistence/aof/group-commit.ts";
import { makeTempDir } from "./support/processes.ts";

const root = makeTempDir("group-commit");
const committers: GroupCommitter[] = [];
afterAll(() => {
  for (const committer of committers) committer.close();
  rmSync(root, { recursive: true, force: true });
});

const poolFsync = (fd: number): Promise<number> =>
  new Promise((resolve, reject) => fdatasync(fd, (error) => (error === null ? resolve(1) : reject(error))));

// A committer on its worker thread plus what it reported.
function start(): {
  committer: GroupCommitter;
  covered: [number, number][];
  failures: [number, string][];
  durations: number[];
} {
  const covered: [number, number][] = [],
    failures: [number, string][] = [],
    durations: number[] = [];
  const committer = createGroupCommitter(
    {
      onDuration: (micros) => durations.push(micros),
      onCovered: (generation, size) => covered.push([generation, size]),
      onFailure: (generation, error) =>
        failures.push([generation, (error as NodeJS.ErrnoException).code ?? error.message]),
    },
    poolFsync,
    false,
  );
  committers.push(committer);
  return { committer, covered, failures, durations };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(check()).toBe(true);
}

describe("group-commit thread", () => {
  it("covers the latest size written before each fsync and reports each call's duration", async () => {
    const { committer, covered, durations } = start();
    const fd = openSync(join(root, "a.aof"), "a");
    try {
      let size = 0;
      for (let turn = 0; turn < 50; turn += 1) {
        size += writeSync(fd, Buffer.alloc(100, 97));
        committer.written(1, fd, size, 1);
        if (turn % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
      }
      await committer.idle();
      expect(committer.busy).toBe(false);
      expect(covered.at(-1)).toEqual([1, size]);
      // Sizes only grow, and fewer fsyncs than writes ran (they were grouped).
      for (let index = 1; index < covered.length; index += 1)
        expect((covered[index] as [number, number])[1]).toBeGreaterThanOrEqual(
          (covered[index - 1] as [number, number])[1],
        );
      expect(durations.length).toBeGreaterThan(0);
      expect(durations.length).toBeLessThanOrEqual(50);
      for (const micros of durations) expect(micros).toBeGreaterThan(0);
    } finally {
      closeSync(fd);
    }
  });

  it("fails a generation for good after an fsync error, and serves the next generation", async () => {
    const { committer, covered, failures } = start();
    const closed = openSync(join(root, "closed.aof"), "a");
    closeSync(closed);
    committer.written(7, closed, 10, 1);
    await until(() => failures.length === 1);
    // EBADF, or EINVAL when the number was reused meanwhile by something that cannot be fsynced.
    expect(failures[0]?.[0]).toBe(7);
    expect(["EBADF", "EINVAL"]).toContain(failures[0]?.[1]);
    // Still generation 7: reported failed again without a successful cover.
    const reopened = openSync(join(root, "b.aof"), "a");
    try {
      committer.written(7, reopened, 20, 1);
      await until(() => failures.length === 2);
      expect(covered).toEqual([]);
      committer.written(8, reopened, 5, 1);
      await until(() => covered.length === 1);
      expect(covered[0]).toEqual([8, 5]);
    } finally {
      closeSync(reopened);
    }
  });

  it("fails what is requested, instead of hanging, when its thread dies", async () => {
    const { committer, failures } = start();
    const fd = openSync(join(root, "d.aof"), "a");
    try {
      // Stand-in for a crash of the thread: terminate it behind the committer's back.
      await (committer as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      await new Promise((resolve) => setTimeout(resolve, 20));
      committer.written(3, fd, writeSync(fd, Buffer.alloc(10, 97)), 1);
      await until(() => failures.length === 1);
      expect(failures[0]?.[0]).toBe(3);
      expect(failures[0]?.[1]).toBe("EIO");
      await committer.idle();
      expect(committer.busy).toBe(false);
    } finally {
      closeSync(fd);
    }
  });

  it("holds the next fsync for returning clients only up to its cap", async () => {
    const { committer, covered } = start();
    const fd = openSync(join(root, "c.aof"), "a");
    try {
      committer.written(1, fd, writeSync(fd, Buffer.alloc(10, 97)), 1);
      await until(() => covered.length === 1);
      // 1000 entries released, none come back: the next write still gets its fsync within the cap.
      committer.released(1000);
      const started = performance.now();
      committer.written(1, fd, 10 + writeSync(fd, Buffer.alloc(10, 98)), 1);
      await until(() => covered.length === 2);
      expect(covered[1]).toEqual([1, 20]);
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      closeSync(fd);
    }
  });
});
