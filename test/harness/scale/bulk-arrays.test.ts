// maxOf / minOf / appendAll: Math.max / Math.min / push semantics, on arrays far past the call-argument limit.
import { describe, expect, it } from "vitest";
import { appendAll, maxOf, minOf } from "../../../src/harness/shared/bulk-arrays.ts";

describe("bulk arrays", () => {
  const million = Array.from({ length: 1_000_000 }, (_, index) => (index * 7919) % 1_000_003);

  it("finds the max and min of a million numbers, where the spread form throws", () => {
    expect(() => Math.max(...million)).toThrow(RangeError);
    expect(maxOf(million)).toBe(million.reduce((a, b) => (b > a ? b : a)));
    expect(minOf(million)).toBe(0);
  });

  it("answers like Math.max / Math.min on small and empty inputs", () => {
    expect(maxOf([3, -1, 2])).toBe(3);
    expect(minOf([3, -1, 2])).toBe(-1);
    expect(maxOf([])).toBe(Number.NEGATIVE_INFINITY);
    expect(maxOf([], 0)).toBe(0);
    expect(minOf([], 5)).toBe(5);
    expect(maxOf([1, Number.NaN, 2])).toBeNaN();
    expect(maxOf(new Set([4, 9]))).toBe(9);
  });

  it("appends a million items in place", () => {
    const target = [1];
    expect(appendAll(target, million)).toBe(target);
    expect(target).toHaveLength(1_000_001);
    expect(target.at(-1)).toBe(million.at(-1));
  });
});
