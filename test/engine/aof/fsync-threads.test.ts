// fdatasync on worker threads that time the call themselves: real files, errors carry their errno code,
// and calls beyond the number of threads queue instead of failing.
import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FsyncThreads } from "../../../src/engine/persistence/aof/fsync-threads.ts";
import { makeTempDir } from "./support/processes.ts";

const root = makeTempDir("fsync-threads");
const threads = new FsyncThreads(1);
afterAll(() => {
  threads.close();
  rmSync(root, { recursive: true, force: true });
});

describe("FsyncThreads", () => {
  it("fdatasyncs a real file and returns the call's duration in µs; more calls than threads queue", async () => {
    const fd = openSync(join(root, "data.aof"), "a");
    try {
      writeSync(fd, Buffer.alloc(4096, 97));
      const durations = await Promise.all([threads.fdatasync(fd), threads.fdatasync(fd), threads.fdatasync(fd)]);
      for (const micros of durations) {
        expect(micros).toBeGreaterThan(0);
        expect(micros).toBeLessThan(10_000_000);
      }
    } finally {
      closeSync(fd);
    }
  });

  it("rejects with the errno code when the call fails, and keeps serving afterwards", async () => {
    const fd = openSync(join(root, "closed.aof"), "a");
    closeSync(fd);
    await expect(threads.fdatasync(fd)).rejects.toMatchObject({ code: "EBADF" });
    const open = openSync(join(root, "after.aof"), "a");
    try {
      await expect(threads.fdatasync(open)).resolves.toBeGreaterThan(0);
    } finally {
      closeSync(open);
    }
  });
});
