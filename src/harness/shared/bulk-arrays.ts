// Max, min and append over arrays of any length. `Math.max(...values)` and `target.push(...items)` pass every
// element as a call argument, and V8 throws "Maximum call stack size exceeded" somewhere past ~100,000 of
// them: a crash-loss run loses hundreds of thousands of writes. These loop instead.

/** The largest of `values`, or `empty` when there are none (like Math.max, NaN wins). */
export function maxOf(values: Iterable<number>, empty = Number.NEGATIVE_INFINITY): number {
  let best: number | undefined;
  for (const value of values) {
    if (Number.isNaN(value)) return Number.NaN;
    if (best === undefined || value > best) best = value;
  }
  return best ?? empty;
}

/** The smallest of `values`, or `empty` when there are none (like Math.min, NaN wins). */
export function minOf(values: Iterable<number>, empty = Number.POSITIVE_INFINITY): number {
  let best: number | undefined;
  for (const value of values) {
    if (Number.isNaN(value)) return Number.NaN;
    if (best === undefined || value < best) best = value;
  }
  return best ?? empty;
}

/** Appends every item to `target` (in place, one push per item) and returns it. */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** Nearest-rank percentile (0..100) of `values`, 0 when there are none; sorts a copy. */
export function nearestRankPercentile(values: readonly number[], percent: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((percent / 100) * sorted.length))) - 1] ?? 0;
}
