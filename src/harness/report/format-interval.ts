// A figure with its 95 % interval as text: "42,977 ops/s (41,900–43,800, 3 runs)", "(time buckets of 1 run)",
// "(1 run, no interval)". Shared by the HTML report, the markdown and the terminal summaries. Pure.
import type { FigureInterval } from "../results/analysis-schema.ts";
import { formatValue } from "./format.ts";

// A bound without its unit suffix where the unit is a plain word (ops/s), with it otherwise.
function formatBound(value: number, unit: string): string {
  return unit === "ops/s" ? Math.round(value).toLocaleString("en-US") : formatValue(value, unit);
}

/** The interval part alone: "41,900–43,800, 3 runs" (no parentheses). */
export function describeInterval(figure: FigureInterval, unit: string): string {
  if (
    figure.basis === "single" ||
    figure.low === undefined ||
    figure.high === undefined ||
    !Number.isFinite(figure.low)
  )
    return figure.n === 1 ? "1 run, no interval" : `${figure.n} runs`;
  const range = `${formatBound(figure.low, unit)}–${formatBound(figure.high, unit)}`;
  return figure.basis === "repetitions"
    ? `${range}, ${figure.n} runs`
    : `${range}, from ${figure.n} time buckets of 1 run`;
}

/** The figure and its interval. */
export function formatInterval(figure: FigureInterval, unit: string): string {
  return `${formatValue(figure.mean, unit)} (${describeInterval(figure, unit)})`;
}
