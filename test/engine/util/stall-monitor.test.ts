// The stall monitor behind persistlab_aof_rewrite_loop_delay_*_us and the BGSAVE log line: a loop blocked
// by the engine itself (here a 40 ms blocking wait, the kind a synchronous fsync causes) counts as the
// engine's own stall; on Linux the CPU-wait share is measured from /proc/thread-self/schedstat.
import { existsSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { startStallMonitor } from "../../../src/engine/util/stall-monitor.ts";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("startStallMonitor", () => {
  it("reports a blocked event loop as the engine's own stall", async () => {
    const monitor = startStallMonitor();
    await sleep(20);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 40); // blocked, not runnable: never CPU wait
    await sleep(20);
    const figures = monitor.stop();
    expect(figures).not.toBeNull();
    expect(figures!.longestMs).toBeGreaterThanOrEqual(35);
    expect(figures!.ownLongestMs).toBeGreaterThanOrEqual(35);
    expect(figures!.ownLongestMs).toBeLessThanOrEqual(figures!.longestMs);
    expect(figures!.cpuWaitMeasured).toBe(existsSync("/proc/thread-self/schedstat"));
  });

  it("splits out the garbage collector's pauses: a forced full GC over a large heap is the longest own stall", async () => {
    setFlagsFromString("--expose-gc");
    const collect = runInNewContext("gc") as () => void;
    const heap = Array.from({ length: 1_000_000 }, (_, i) => ({ i, text: `value-${i}` }));
    const monitor = startStallMonitor();
    await sleep(20);
    collect();
    await sleep(50); // perf_hooks delivers gc entries asynchronously
    const figures = monitor.stop();
    expect(heap.length).toBe(1_000_000);
    expect(figures).not.toBeNull();
    expect(figures!.gcMeasured).toBe(true);
    expect(figures!.longestGcPauseMs).toBeGreaterThan(2);
    expect(figures!.ownLongestMs).toBeGreaterThan(2);
    expect(figures!.ownLongestGcMs).toBeGreaterThan(Math.min(figures!.ownLongestMs, figures!.longestGcPauseMs) * 0.5);
    expect(figures!.ownLongestGcMs).toBeLessThanOrEqual(figures!.ownLongestMs);
  });

  it("returns null when stopped before its first tick", () => {
    expect(startStallMonitor().stop()).toBeNull();
  });
});
