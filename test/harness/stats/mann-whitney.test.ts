// Mann-Whitney U against reference values from scipy 1.17.1 `scipy.stats.mannwhitneyu(x, y, alternative="two-sided")`.
import { describe, expect, it } from "vitest";
import { minimumExactP, testMannWhitney } from "../../../src/harness/stats/mann-whitney.ts";

describe("testMannWhitney", () => {
  it("matches scipy's exact p for fully separated samples (U=0, p=0.1)", () => {
    expect(testMannWhitney([1, 2, 3], [4, 5, 6])).toEqual({ u: 0, p: 0.1, method: "exact" });
  });

  it("matches scipy exact: x=[19,22,16,29,24], y=[20,11,17,12] → U=17, p=0.1111111111", () => {
    const result = testMannWhitney([19, 22, 16, 29, 24], [20, 11, 17, 12]);
    expect(result.u).toBe(17);
    expect(result.p).toBeCloseTo(0.1111111111111111, 12);
    expect(result.method).toBe("exact");
  });

  it("matches scipy exact for unequal sizes 8 vs 7 → U=12, p=0.0721056721", () => {
    const result = testMannWhitney([1.1, 2.2, 3.3, 4.4, 5.5, 6.6, 7.7, 8.8], [3, 5, 7, 9, 11, 13, 15]);
    expect(result.u).toBe(12);
    expect(result.p).toBeCloseTo(0.0721056721056721, 12);
  });

  it("uses the tie-corrected normal approximation with ties (scipy asymptotic, continuity) → p=0.0037931588", () => {
    const x = [1, 2, 2, 3, 4, 5, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
    const y = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30];
    const result = testMannWhitney(x, y);
    expect(result.u).toBe(162.5);
    expect(result.method).toBe("normal");
    expect(result.p).toBeCloseTo(0.003793158811371697, 6);
  });

  it("small samples with ties → scipy asymptotic p=0.0192435658", () => {
    const result = testMannWhitney([3, 3, 4, 5, 5], [5, 6, 6, 7, 8]);
    expect(result.u).toBe(1);
    expect(result.p).toBeCloseTo(0.019243565799074828, 6);
  });

  it("is symmetric and gives p=1 for identical samples or an empty side", () => {
    expect(testMannWhitney([4, 5, 6], [1, 2, 3]).p).toBe(0.1);
    expect(testMannWhitney([1, 1, 1], [1, 1, 1]).p).toBe(1);
    expect(testMannWhitney([], [1]).p).toBe(1);
  });

  it("knows the smallest reachable exact p: 3 vs 3 cannot go below 0.1", () => {
    expect(minimumExactP(3, 3)).toBeCloseTo(0.1, 12);
    expect(minimumExactP(5, 5)).toBeCloseTo(2 / 252, 12);
  });
});
