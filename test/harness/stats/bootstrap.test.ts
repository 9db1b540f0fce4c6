// Bootstrap ratio-of-means interval: exact point estimates, degenerate cases and determinism.
import { describe, expect, it } from "vitest";
import { bootstrapRatioOfMeans, computeMean } from "../../../src/harness/stats/bootstrap.ts";

describe("bootstrapRatioOfMeans", () => {
  it("gives the exact ratio of means as the point estimate", () => {
    const result = bootstrapRatioOfMeans([10, 20, 30], [15, 30, 45]);
    expect(result.ratio).toBe(1.5);
    expect(result.low).toBeLessThanOrEqual(1.5);
    expect(result.high).toBeGreaterThanOrEqual(1.5);
  });

  it("collapses to the point when both samples are constant", () => {
    expect(bootstrapRatioOfMeans([2, 2, 2], [3, 3, 3])).toMatchObject({ ratio: 1.5, low: 1.5, high: 1.5 });
  });

  it("is deterministic for a seed and bounded by the extreme resampled ratios", () => {
    const a = [100, 104, 98, 101, 97];
    const b = [90, 95, 93, 91, 96];
    const first = bootstrapRatioOfMeans(a, b, { seed: 7 });
    expect(bootstrapRatioOfMeans(a, b, { seed: 7 })).toEqual(first);
    expect(first.low).toBeGreaterThanOrEqual(90 / 104);
    expect(first.high).toBeLessThanOrEqual(96 / 97);
    expect(first.high).toBeLessThan(1); // b is clearly slower: the whole interval lies below 1
  });

  it("overlapping noisy samples give an interval that straddles 1", () => {
    const result = bootstrapRatioOfMeans([100, 80, 120, 95, 105], [110, 85, 90, 100, 115]);
    expect(result.low).toBeLessThan(1);
    expect(result.high).toBeGreaterThan(1);
  });

  it("returns NaN bounds for an empty sample or a zero baseline", () => {
    expect(Number.isNaN(bootstrapRatioOfMeans([], [1]).low)).toBe(true);
    expect(Number.isNaN(bootstrapRatioOfMeans([0, 0], [1, 2]).low)).toBe(true);
    expect(computeMean([1, 2, 3, 4])).toBe(2.5);
  });
});
