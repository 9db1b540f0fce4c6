// Reads the value a threshold names from one strategy's runs: which metric groups exist, which names each
// accepts, their units and how repetitions combine (documented in docs/ci.md). Pure.
import type { RunResult } from "../results/schema.ts";
import type { LatencySummary } from "../stats/histogram.ts";
import { aggregateValues, type Aggregation } from "../report/metric-catalog.ts";
import type { ThresholdExpression, ThresholdKey } from "./threshold-parse.ts";

/** A value for a threshold, or why there is none. */
export type ThresholdValue =
  | { status: "ok"; value: number; unit: string }
  | { status: "not-measured"; reason: string }
  | { status: "unknown-name"; reason: string };

// One readable name of a metric group.
interface NameReader {
  unit: string;
  aggregate: Aggregation;
  read: (run: RunResult, expression: ThresholdExpression, key: ThresholdKey) => number | undefined;
}

// A latency percentile; exact fields for 50/90/99/99.9, otherwise interpolated on the CDF points.
export function readPercentileMs(summary: LatencySummary, percentile: number): number | undefined {
  if (summary.count === 0) return undefined;
  const exact: Record<string, number> = {
    "50": summary.p50Ms,
    "90": summary.p90Ms,
    "99": summary.p99Ms,
    "99.9": summary.p999Ms,
    "100": summary.maxMs,
    "0": summary.minMs,
  };
  const hit = exact[String(percentile)];
  if (hit !== undefined) return hit;
  const points = summary.cdf;
  for (let i = 1; i < points.length; i++) {
    const [p0, v0] = points[i - 1]!;
    const [p1, v1] = points[i]!;
    if (percentile >= p0 && percentile <= p1) return p1 === p0 ? v1 : v0 + ((percentile - p0) / (p1 - p0)) * (v1 - v0);
  }
  return undefined;
}

// The latency summary a key selects (all ops, or one command via {op:GET}).
function selectLatency(run: RunResult, key: ThresholdKey): LatencySummary | undefined {
  const op = key.tags["op"];
  return op === undefined ? run.metrics.latency.all : run.metrics.latency.byOp[op.toUpperCase()];
}

const LATENCY: Record<string, NameReader> = {
  p: {
    unit: "ms",
    aggregate: "mean",
    read: (run, e, k) => {
      const s = selectLatency(run, k);
      return s === undefined || e.argument === undefined ? undefined : readPercentileMs(s, e.argument);
    },
  },
  avg: {
    unit: "ms",
    aggregate: "mean",
    read: (run, _e, k) => {
      const s = selectLatency(run, k);
      return s && s.count > 0 ? s.meanMs : undefined;
    },
  },
  med: {
    unit: "ms",
    aggregate: "mean",
    read: (run, _e, k) => {
      const s = selectLatency(run, k);
      return s && s.count > 0 ? s.p50Ms : undefined;
    },
  },
  min: {
    unit: "ms",
    aggregate: "mean",
    read: (run, _e, k) => {
      const s = selectLatency(run, k);
      return s && s.count > 0 ? s.minMs : undefined;
    },
  },
  max: {
    unit: "ms",
    aggregate: "max",
    read: (run, _e, k) => {
      const s = selectLatency(run, k);
      return s && s.count > 0 ? s.maxMs : undefined;
    },
  },
  count: { unit: "ops", aggregate: "sum", read: (run, _e, k) => selectLatency(run, k)?.count },
};

// fsync figures in µs (as results.json records them) and the ratio of p50 to the disk floor.
const fsyncReader =
  (field: "p50Us" | "p99Us" | "maxUs"): NameReader["read"] =>
  (run) =>
    run.metrics.fsync.measured && run.metrics.fsync.count > 0 ? run.metrics.fsync[field] : undefined;

const durabilityReader =
  (read: (d: NonNullable<RunResult["metrics"]["durability"]>) => number): NameReader["read"] =>
  (run) =>
    run.metrics.durability === undefined ? undefined : read(run.metrics.durability);

/** Metric groups and the names each accepts. */
export const THRESHOLD_METRICS: Record<string, Record<string, NameReader>> = {
  latency: LATENCY,
  throughput: {
    opsPerSec: { unit: "ops/s", aggregate: "mean", read: (run) => run.metrics.throughput.opsPerSec },
    count: { unit: "ops", aggregate: "sum", read: (run) => run.metrics.throughput.ok },
  },
  errors: {
    rate: { unit: "", aggregate: "mean", read: (run) => run.metrics.errors.rate },
    count: { unit: "ops", aggregate: "sum", read: (run) => run.metrics.errors.fail + run.metrics.errors.info },
  },
  availability: {
    value: { unit: "", aggregate: "mean", read: (run) => run.metrics.availability.okRatio },
    unavailableMs: { unit: "ms", aggregate: "max", read: (run) => run.metrics.availability.unavailableMs },
  },
  durability: {
    lost: { unit: "writes", aggregate: "sum", read: durabilityReader((d) => d.lost) },
    corrupt: { unit: "values", aggregate: "sum", read: durabilityReader((d) => d.corrupt) },
    acked: { unit: "writes", aggregate: "sum", read: durabilityReader((d) => d.acked) },
    rate: { unit: "", aggregate: "mean", read: durabilityReader((d) => (d.acked > 0 ? d.lost / d.acked : 0)) },
    lossWindowMs: { unit: "ms", aggregate: "max", read: durabilityReader((d) => d.lossWindowMs.max) },
    /** Crash rounds that lost more than the policy promises on this engine (the checker's verdict). */
    violations: { unit: "rounds", aggregate: "sum", read: (run) => run.metrics.durability?.violations },
    failedRestarts: { unit: "restarts", aggregate: "sum", read: durabilityReader((d) => d.failedRestarts) },
    repairs: { unit: "repairs", aggregate: "sum", read: durabilityReader((d) => d.repairs) },
    survivedUnacked: { unit: "writes", aggregate: "sum", read: durabilityReader((d) => d.survivedUnacked) },
  },
  fsync: {
    p: {
      unit: "µs",
      aggregate: "mean",
      read: (run, e) =>
        e.argument === 50
          ? fsyncReader("p50Us")(run, e, { metric: "fsync", tags: {} })
          : e.argument === 99
            ? fsyncReader("p99Us")(run, e, { metric: "fsync", tags: {} })
            : undefined,
    },
    max: { unit: "µs", aggregate: "max", read: fsyncReader("maxUs") },
    count: {
      unit: "fsyncs",
      aggregate: "sum",
      read: (run) => (run.metrics.fsync.measured ? run.metrics.fsync.count : undefined),
    },
  },
  recovery: {
    readyMs: {
      unit: "ms",
      aggregate: "mean",
      read: (run) => (run.metrics.recovery.measured ? run.metrics.recovery.readyMs : undefined),
    },
  },
  rewrite: {
    durationMs: {
      unit: "ms",
      aggregate: "mean",
      read: (run) => (run.metrics.rewrite.measured ? run.metrics.rewrite.durationMs : undefined),
    },
    p99MsDuring: {
      unit: "ms",
      aggregate: "mean",
      read: (run) => (run.metrics.rewrite.measured ? run.metrics.rewrite.p99MsDuring : undefined),
    },
    peakRssBytes: {
      unit: "bytes",
      aggregate: "max",
      read: (run) => (run.metrics.rewrite.measured ? run.metrics.rewrite.peakRssBytes : undefined),
    },
  },
};

// Shortcuts accepted under any key: "lost==0" under "durability", "opsPerSec>N" under "throughput", ...
const NAME_HOMES: Record<string, string> = {
  opsPerSec: "throughput",
  lost: "durability",
  corrupt: "durability",
  lossWindowMs: "durability",
  readyMs: "recovery",
};

/** Reads the value of `expression` under `key` from one strategy's runs (repetitions combined). */
export function readThresholdValue(
  runs: readonly RunResult[],
  key: ThresholdKey,
  expression: ThresholdExpression,
): ThresholdValue {
  let group = THRESHOLD_METRICS[key.metric];
  if (group === undefined || group[expression.name] === undefined) {
    const home = NAME_HOMES[expression.name];
    if (home !== undefined) group = THRESHOLD_METRICS[home];
  }
  if (group === undefined)
    return {
      status: "unknown-name",
      reason: `unknown metric "${key.metric}" (known: ${Object.keys(THRESHOLD_METRICS).join(", ")})`,
    };
  const reader = group[expression.name];
  if (reader === undefined)
    return {
      status: "unknown-name",
      reason: `"${expression.name}" is not a name of "${key.metric}" (known: ${Object.keys(group)
        .map((n) => (n === "p" ? "p(N)" : n))
        .join(", ")})`,
    };
  if (expression.name === "p" && expression.argument === undefined)
    return { status: "unknown-name", reason: "p needs a percentile, e.g. p(99)" };
  const value = aggregateValues(
    runs.map((run) => reader.read(run, expression, key)),
    reader.aggregate,
  );
  if (value === undefined) return { status: "not-measured", reason: "not measured in these results" };
  return { status: "ok", value, unit: reader.unit };
}
