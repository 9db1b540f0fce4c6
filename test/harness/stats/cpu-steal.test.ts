// CPU steal and load from /proc/stat: the "cpu" line's fields (parsing a real kernel's layout), and the
// meter summing windows of this machine's own /proc/stat.
import { cpus } from "node:os";
import { describe, expect, it } from "vitest";
import { CpuStealMeter, parseCpuTimes, readCpuTimes } from "../../../src/harness/stats/cpu-steal.ts";
import { LoopBusyMeter } from "../../../src/harness/stats/loop-busy.ts";

describe("parseCpuTimes", () => {
  it("reads steal, busy and total from the cpu line (guest fields are already in user)", () => {
    const text = "cpu  92491 10 22305 181662 1802 0 8493 10073 500 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 1\n";
    expect(parseCpuTimes(text)).toEqual({
      steal: 10073,
      busy: 92491 + 10 + 22305 + 0 + 8493,
      total: 92491 + 10 + 22305 + 181662 + 1802 + 0 + 8493 + 10073,
    });
  });

  it("returns null for a text without a cpu line or with too few fields", () => {
    expect(parseCpuTimes("intr 1\n")).toBeNull();
    expect(parseCpuTimes("cpu  1 2 3\n")).toBeNull();
  });
});

describe("CpuStealMeter", () => {
  it.runIf(process.platform === "linux")(
    "sums this machine's CPU time over its windows, busy while a loop spins",
    async () => {
      expect(readCpuTimes()).not.toBeNull();
      const meter = new CpuStealMeter(cpus().length);
      for (let window = 0; window < 2; window += 1) {
        meter.start();
        const until = performance.now() + 150;
        while (performance.now() < until) Math.sqrt(Math.random());
        meter.stop();
        await new Promise((resolve) => setTimeout(resolve, 100)); // between windows: not counted
      }
      const noise = meter.result();
      if (!noise.measured) throw new Error(noise.reason);
      // Two windows of ~150 ms each: ~0.3 s per CPU, of which this spinning thread kept one CPU busy.
      expect(noise.sampledSec).toBeGreaterThan(0.2);
      expect(noise.sampledSec).toBeLessThan(0.6);
      expect(noise.cpuBusyPct).toBeGreaterThanOrEqual(Math.min(90, 100 / cpus().length) * 0.6);
      expect(noise.cpuStealPct).toBeGreaterThanOrEqual(0);
      expect(noise.cpuStealPct + noise.cpuBusyPct).toBeLessThanOrEqual(100);
    },
  );

  it("says why when no window was measured", () => {
    const noise = new CpuStealMeter(2).result();
    expect(noise.measured).toBe(false);
  });
});

describe("LoopBusyMeter", () => {
  const spin = (ms: number): void => {
    const until = performance.now() + ms;
    while (performance.now() < until) Math.sqrt(Math.random());
  };
  const idle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  it.runIf(!("Deno" in globalThis))(
    "reads a spinning loop as busy and a sleeping one as idle, over its windows only",
    async () => {
      const busy = new LoopBusyMeter();
      busy.start();
      await idle(5);
      spin(200);
      await idle(5);
      busy.stop();
      await idle(200); // outside any window
      expect(busy.busyPercent()).toBeGreaterThan(80);
      const quiet = new LoopBusyMeter();
      quiet.start();
      await idle(200);
      quiet.stop();
      spin(100); // outside any window
      expect(quiet.busyPercent()).toBeLessThan(20);
    },
  );

  it("has no figure before any window", () => {
    expect(new LoopBusyMeter().busyPercent()).toBeNull();
  });
});
