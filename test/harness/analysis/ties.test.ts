// The tie rule of the analysis (compare's statistics): a clear difference gets one leader, overlapping samples
// tie, one repetition each ties unless its time buckets separate the strategies; intervals by basis.
import { describe, expect, it } from "vitest";
import { rankStrategies } from "../../../src/harness/analysis/ties.ts";
import { analyzeResults } from "../../../src/harness/analysis/analysis.ts";
import { readResults } from "../../../src/harness/report/read-results.ts";

const throughput = { id: "throughput.opsPerSec", better: "higher" } as const;
const p99 = { id: "latency.p99Ms", better: "lower" } as const;

describe("rankStrategies", () => {
  it("names one leader when the difference is clear (5 repetitions, 20 % apart)", () => {
    const ranking = rankStrategies(throughput, [
      { strategy: "slow", runs: [80, 81, 79, 80, 82] },
      { strategy: "fast", runs: [100, 101, 99, 100, 102] },
    ]);
    expect(ranking.basis).toBe("repetitions");
    expect(ranking.order).toEqual(["fast", "slow"]);
    expect(ranking.leaders).toEqual(["fast"]);
    expect(ranking.clear).toBe(true);
    expect(ranking.reason).toBe("");
    expect(ranking.versusBest[0]?.tied).toBe(false);
    expect(ranking.versusBest[0]?.changeHigh).toBeLessThan(-0.02);
  });

  it("ties strategies whose repetitions overlap, and says what would separate them", () => {
    const ranking = rankStrategies(throughput, [
      { strategy: "a", runs: [100, 90, 110] },
      { strategy: "b", runs: [98, 108, 92] },
      { strategy: "c", runs: [50, 52, 51] },
    ]);
    expect(ranking.leaders).toEqual(["a", "b"]);
    expect(ranking.clear).toBe(false);
    expect(ranking.reason).toMatch(
      /^indistinguishable from a \(3 repetitions each: b −0\.\d % \(95 % CI −\d+\.\d % to \+\d+\.\d %\): CI includes changes within ±2 %\)$/,
    );
    // 3 against 3 cannot reach p < 0.05 with the exact rank test: more repetitions are the way.
    expect(ranking.separate).toMatch(/≥ 4 each lets the rank test reach p < 0.05/);
    expect(ranking.versusBest.find((v) => v.strategy === "c")?.tied).toBe(false);
  });

  it("ranks lower-is-better metrics from the lowest", () => {
    const ranking = rankStrategies(p99, [
      { strategy: "slow", runs: [9, 9.2, 9.1, 9.3] },
      { strategy: "quick", runs: [3, 3.1, 2.9, 3.05] },
    ]);
    expect(ranking.leaders).toEqual(["quick"]);
    expect(ranking.clear).toBe(true);
  });

  it("ties one repetition each (no spread), whatever the gap", () => {
    const ranking = rankStrategies(throughput, [
      { strategy: "a", runs: [1000] },
      { strategy: "b", runs: [600] },
    ]);
    expect(ranking.basis).toBe("single");
    expect(ranking.leaders).toEqual(["a", "b"]);
    expect(ranking.reason).toContain("one run each");
    expect(ranking.separate).toMatch(/repetitions ≥ 3/);
  });

  it("compares one repetition each on its time buckets when every strategy has them, and says so", () => {
    const ranking = rankStrategies(throughput, [
      { strategy: "a", runs: [1000], buckets: [1000, 990, 1010, 1005, 995, 1002] },
      { strategy: "b", runs: [600], buckets: [600, 590, 610, 605, 595, 602] },
    ]);
    expect(ranking.basis).toBe("time-buckets");
    expect(ranking.leaders).toEqual(["a"]);
    const overlapping = rankStrategies(throughput, [
      { strategy: "a", runs: [1000], buckets: [1000, 700, 1300, 900, 1100, 1000] },
      { strategy: "b", runs: [990], buckets: [990, 1250, 720, 1000, 1050, 930] },
    ]);
    expect(overlapping.leaders).toEqual(["a", "b"]);
    expect(overlapping.reason).toContain("one run each, compared on its time buckets");
    expect(overlapping.separate).toMatch(/not independent/);
  });
});

describe("analyzeResults intervals", () => {
  it("gives every headline figure of a repeated run a 95 % interval over its repetitions", () => {
    const analysis = analyzeResults(readResults("test/fixtures/results/strategy-matrix.json"));
    const figure = analysis.figures["none"]?.["throughput.opsPerSec"];
    expect(figure?.basis).toBe("repetitions");
    expect(figure?.n).toBe(2);
    expect(figure?.low).toBeLessThanOrEqual(figure!.mean);
    expect(figure?.high).toBeGreaterThanOrEqual(figure!.mean);
    expect(figure!.high! - figure!.low!).toBeGreaterThan(0);
    for (const metric of ["latency.p99Ms", "recovery.readyMs", "fsync.p99Us"])
      expect(analysis.figures["aof-always"]?.[metric]?.basis, metric).toBe("repetitions");
  });

  it("falls back to the run's time buckets with one repetition, and to no interval where there are none", () => {
    const results = readResults("test/fixtures/results/strategy-matrix.json");
    results.runs = results.runs.filter((run) => run.repetition === 1);
    const analysis = analyzeResults(results);
    expect(analysis.figures["none"]?.["throughput.opsPerSec"]?.basis).toBe("time-buckets");
    expect(analysis.figures["none"]?.["recovery.readyMs"]).toEqual({ mean: expect.any(Number), basis: "single", n: 1 });
    expect(analysis.rankings["recovery.readyMs"]?.basis).toBe("single");
    expect(analysis.rankings["recovery.readyMs"]?.clear).toBe(false);
  });
});
