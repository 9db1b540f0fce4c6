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
    const cells = (strategy: string): string[] =>
      (rows.find((row) => row.startsWith(`${strategy} `)) ?? "").trim().split(/\s{2,}/);
    const column =
      rows[1]
        ?.trim()
        .split(/\s{2,}/)
        .indexOf("fsync p99 µs") ?? -1;
    expect(column).toBeGreaterThan(0);
    expect(cells("rdb")[column]).toBe("none");
    expect(cells("none")[column]).toBe("n/m");
    expect(cells("aof-always")[column]).toMatch(/^\d+$/);
    expect(rows.join("\n")).toContain("fsync none = no fsync recorded in the run");
    expect(rows.join("\n")).toContain("fsync figures count every fdatasync recorded, a rewrite phase's included");
  });
});

describe("renderSummary steal column", () => {
  it("prints each run's steal and warns about runs the hypervisor depressed", () => {
    const results = readResults("test/fixtures/results/strategy-matrix.json");
    const [quiet, noisy, unknown] = results.runs;
    if (quiet === undefined || noisy === undefined || unknown === undefined)
      throw new Error("fixture with fewer than three runs");
    quiet.metrics.machine = { measured: true, cpuStealPct: 0.4, cpuBusyPct: 80, sampledSec: 3 };
    noisy.metrics.machine = { measured: true, cpuStealPct: 17.5, cpuBusyPct: 70, sampledSec: 3 };
    unknown.metrics.machine = { measured: false, reason: "/proc/stat is not readable here" };
    const text = renderSummary(results);
    const rows = text.split("\n");
    const column =
      rows[1]
        ?.trim()
        .split(/\s{2,}/)
        .indexOf("steal") ?? -1;
    expect(column).toBeGreaterThan(0);
    // Lines: title, header, rule, then one row per run in results order.
    const cellOf = (runIndex: number): string | undefined => rows[3 + runIndex]?.trim().split(/\s{2,}/)[column];
    expect(cellOf(0)).toBe("0.4%");
    expect(cellOf(1)).toBe("17.5%");
    expect(cellOf(2)).toBe("n/m");
    const warning = rows.find((row) => row.startsWith("warning: the hypervisor took"));
    expect(warning).toContain(`${noisy.id} (17.5%)`);
    expect(warning).not.toContain(quiet.id);
    expect(rows.some((row) => row.startsWith("warning: the harness's event loop"))).toBe(false);
  });

  it("warns when the harness's own event loop was saturated during a run", () => {
    const results = readResults("test/fixtures/results/strategy-matrix.json");
    const [busy, relaxed] = results.runs;
    if (busy === undefined || relaxed === undefined) throw new Error("fixture with fewer than two runs");
    busy.metrics.machine = { measured: true, cpuStealPct: 0, cpuBusyPct: 95, sampledSec: 3, harnessLoopBusyPct: 97.2 };
    relaxed.metrics.machine = { measured: true, cpuStealPct: 0, cpuBusyPct: 60, sampledSec: 3, harnessLoopBusyPct: 41 };
    const warning = renderSummary(results)
      .split("\n")
      .find((row) => row.startsWith("warning: the harness's event loop"));
    expect(warning).toContain(`${busy.id} (97.2%)`);
    expect(warning).not.toContain(`${relaxed.id} (`);
  });
});
