// The engine's fsync figures: exact over the early sample while the histogram library loads in the
// background, then HDR percentiles (3 significant digits) over everything, early sample included.
import { describe, expect, it } from "vitest";
import { FsyncStats } from "../../../src/engine/persistence/aof/fsync-stats.ts";

const field = (stats: FsyncStats, name: string): number => Number(stats.info().find(([key]) => key === name)?.[1]);

describe("FsyncStats", () => {
  it("reports count, p50, p99 and max before and after the histogram arrives", async () => {
    const stats = new FsyncStats();
    expect(field(stats, "persistlab_fsync_p50_us")).toBe(0);
    for (let value = 1; value <= 100; value++) stats.record(value * 10);
    expect(field(stats, "persistlab_fsync_count")).toBe(100);
    expect(field(stats, "persistlab_fsync_p50_us")).toBe(500);
    expect(field(stats, "persistlab_fsync_p99_us")).toBe(990);
    await import("hdr-histogram-js");
    await new Promise((resolve) => setTimeout(resolve, 10));
    for (let value = 101; value <= 200; value++) stats.record(value * 10);
    expect(field(stats, "persistlab_fsync_count")).toBe(200);
    expect(field(stats, "persistlab_fsync_p50_us")).toBeCloseTo(1000, -1);
    expect(field(stats, "persistlab_fsync_p99_us")).toBeCloseTo(1980, -1);
    expect(field(stats, "persistlab_fsync_max_us")).toBe(2000);
  });
});
