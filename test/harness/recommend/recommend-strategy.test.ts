// recommend on the recorded strategy matrix: picks, evidence, and no qualifying strategy.
import { describe, expect, it } from "vitest";
import { recommendStrategy } from "../../../src/harness/recommend/recommend-strategy.ts";
import { readResults } from "../../../src/harness/report/read-results.ts";

const matrix = readResults("test/fixtures/results/strategy-matrix.json");

describe("recommendStrategy", () => {
  it("picks the fastest strategy within a 2 s loss window", () => {
    const result = recommendStrategy(matrix, { maxLossMs: 2000 });
    expect(result.pick?.summary.strategy).toBe("aof-everysec");
    expect(result.explanation).toMatch(
      /^aof-everysec meets every stated need with the highest throughput \(\d+ ops\/s\); also qualifying: aof-always, hybrid; but its throughput is indistinguishable from hybrid \(hybrid −2\.\d % \(95 % CI [^)]+\): CI includes changes within ±2 %\): treat them as tied/,
    );
    // 2 repetitions a side: hybrid is 2.4 % slower, but the CI of the ratio reaches inside ±2 % (compare's rule).
    expect(result.tiedWith).toEqual(["hybrid"]);
    expect(result.candidates.find((c) => c.summary.strategy === "rdb")?.failures[0]).toMatch(
      /^loss window \d+ ms > 2000 ms$/,
    );
  });

  it("requires zero acknowledged loss for --max-loss 0", () => {
    expect(recommendStrategy(matrix, { maxLossMs: 0 }).pick?.summary.strategy).toBe("aof-always");
  });

  it("without a loss need the fastest strategy wins", () => {
    expect(recommendStrategy(matrix, { maxP99Ms: 5 }).pick?.summary.strategy).toBe("none");
  });

  it("says why no strategy qualifies", () => {
    const result = recommendStrategy(matrix, { maxLossMs: 0, minOpsPerSec: 20_000 });
    expect(result.pick).toBeUndefined();
    expect(result.explanation).toContain("No strategy meets the stated needs.");
    expect(result.explanation).toMatch(/aof-always: \d+ ops\/s < 20000 ops\/s/);
    expect(result.explanation).toMatch(/none: lost \d+ acknowledged writes \(need 0\)/);
  });

  it("treats unmeasured loss as not qualifying", () => {
    const perfOnly = readResults("test/fixtures/results/baseline.json");
    const result = recommendStrategy(perfOnly, { maxLossMs: 1000 });
    expect(result.pick).toBeUndefined();
    expect(result.candidates[0]?.failures[0]).toMatch(/loss not measured/);
  });
});
