// compare on recorded results: regression, improvement, noise that stays inconclusive, floor ratios, merge.
import { describe, expect, it } from "vitest";
import { compareResults } from "../../../src/harness/compare/compare-results.ts";
import { renderComparisonText } from "../../../src/harness/compare/render-comparison.ts";
import { mergeResults, MergeError } from "../../../src/harness/compare/merge-results.ts";
import { readResults } from "../../../src/harness/report/read-results.ts";

const fixture = (name: string) => readResults(`test/fixtures/results/${name}`);
const row = (c: ReturnType<typeof compareResults>, strategy: string, metric: string) =>
  c.rows.find((r) => r.strategy === strategy && r.metric.id === metric);

describe("compareResults", () => {
  const baseline = fixture("baseline.json");

  it("calls a consistent 30 % throughput drop regressed, with a CI around it", () => {
    const comparison = compareResults(baseline, fixture("candidate-regressed.json"));
    const throughput = row(comparison, "aof-everysec", "throughput.opsPerSec")!;
    expect(throughput.verdict).toBe("regressed");
    expect(throughput.change).toBeCloseTo(-0.296, 2);
    expect(throughput.changeLow).toBeLessThan(throughput.change);
    expect(throughput.changeHigh).toBeGreaterThan(throughput.change);
    expect(throughput.changeHigh).toBeLessThan(-0.02);
    expect(throughput.p).toBeCloseTo(0.0119252335930176, 6); // scipy mannwhitneyu: tie in B → normal approximation
    expect(row(comparison, "aof-everysec", "latency.p99Ms")!.verdict).toBe("regressed");
    expect(row(comparison, "aof-always", "throughput.opsPerSec")!.verdict).toBe("inconclusive");
  });

  it("says when a side was measured under CPU steal, and stays quiet otherwise", () => {
    const candidate = fixture("candidate-regressed.json");
    candidate.runs.forEach((run, index) => {
      run.metrics.machine = { measured: true, cpuStealPct: index === 0 ? 14.2 : 1, cpuBusyPct: 70, sampledSec: 5 };
    });
    const noisy = compareResults(baseline, candidate);
    expect(noisy.steal).toEqual({ a: null, b: 14.2 });
    expect(renderComparisonText(noisy)).toContain(
      "Note: B's runs saw up to 14.2 % CPU steal, so the machine may account for differences",
    );
    expect(renderComparisonText(compareResults(baseline, fixture("candidate-regressed.json")))).not.toContain(
      "CPU steal",
    );
  });

  it("calls a consistent 30 % gain improved", () => {
    expect(
      row(compareResults(baseline, fixture("candidate-improved.json")), "aof-everysec", "throughput.opsPerSec")!
        .verdict,
    ).toBe("improved");
  });

  it("keeps noisy trials inconclusive even when the mean moved 12 %", () => {
    const noisy = row(
      compareResults(baseline, fixture("candidate-noise.json")),
      "aof-everysec",
      "throughput.opsPerSec",
    )!;
    expect(noisy.change).toBeLessThan(-0.1);
    expect(noisy.changeHigh).toBeGreaterThan(0);
    expect(noisy.verdict).toBe("inconclusive");
  });

  it("shows fsync-bound figures as ratios to the disk floor", () => {
    const fsync = row(compareResults(baseline, fixture("candidate-noise.json")), "aof-always", "fsync.p50Us")!;
    expect(fsync.floorRatioA).toBeCloseTo(fsync.meanA / 760, 10);
    expect(fsync.floorRatioB).toBeCloseTo(fsync.meanB / 760, 10);
  });

  it("is inconclusive with a single trial per side and unchanged for identical files", () => {
    const one = fixture("smoke-pass.json");
    expect(compareResults(one, one).rows.every((r) => r.verdict === "unchanged")).toBe(true);
    const other = fixture("smoke-pass.json");
    const trimmed = { ...other, runs: other.runs.filter((r) => r.repetition === 1) };
    expect(
      compareResults(trimmed, {
        ...trimmed,
        runs: trimmed.runs.map((r) => ({
          ...r,
          metrics: {
            ...r.metrics,
            throughput: { ...r.metrics.throughput, opsPerSec: r.metrics.throughput.opsPerSec / 2 },
          },
        })),
      }).rows.find((r) => r.metric.id === "throughput.opsPerSec")!,
    ).toMatchObject({ verdict: "inconclusive", change: -0.5, changeLow: Number.NaN, p: Number.NaN });
  });
});

describe("mergeResults", () => {
  it("joins shards of one scenario in strategy order", () => {
    const merged = mergeResults([fixture("shard-2-of-2.json"), fixture("shard-1-of-2.json")]);
    expect(merged.runs.map((r) => r.id)).toEqual([
      "aof-everysec#1",
      "aof-everysec#2",
      "aof-everysec#3",
      "aof-always#1",
      "aof-always#2",
      "aof-always#3",
    ]);
    expect(merged.createdAt).toBe("2026-11-24T14:10:00.000Z");
    expect(merged.status).toBe("complete");
  });

  it("refuses duplicate runs and different scenarios", () => {
    expect(() => mergeResults([fixture("shard-1-of-2.json"), fixture("shard-1-of-2.json")])).toThrow(MergeError);
    expect(() => mergeResults([fixture("shard-1-of-2.json"), fixture("strategy-matrix.json")])).toThrow(
      /scenario "strategy-matrix"/,
    );
    expect(() => mergeResults([])).toThrow(/nothing to merge/);
  });
});
