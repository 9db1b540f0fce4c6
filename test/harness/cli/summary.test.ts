// The terminal summary's fsync column: a figure when fsyncs were recorded, "none" when the run recorded
// none (not a p99 of 0 µs), "n/m" when fsyncs could not be measured at all.
import { describe, expect, it } from "vitest";
import { renderSummary } from "../../../src/harness/cli/summary.ts";
import { readResults } from "../../../src/harness/report/read-results.ts";

describe("renderSummary", () => {
  it("prints the fsync p99, 'none' for a run without fsyncs and 'n/m' when not measured", () => {
    const results = readResults("test/fixtures/results/strategy-matrix.json");
    const rdb = results.runs.find((run) => run.strategy === "rdb");
    if (rdb === undefined) throw new Error("fixture without an rdb run");
    rdb.metrics.fsync = { measured: true, source: "engine-info", count: 0, p50Us: 0, p99Us: 0, maxUs: 0 };
    const rows = renderSummary(results).split("\n");
    const cells = (strategy: string): string[] => (rows.find((row) => row.startsWith(`${strategy} `)) ?? "").trim().split(/\s{2,}/);
    const column = rows[1]?.trim().split(/\s{2,}/).indexOf("fsync p99 µs") ?? -1;
    expect(column).toBeGreaterThan(0);
    expect(cells("rdb")[column]).toBe("none");
    expect(cells("none")[column]).toBe("n/m");
    expect(cells("aof-always")[column]).toMatch(/^\d+$/);
    expect(rows.join("\n")).toContain("fsync none = no fsync recorded in the run");
  });
});
