// The metrics that reports, gate, compare and recommend talk about: one table with how to read each one from a
// run, its unit, which direction is better and how repetitions combine. Pure.
import type { PhaseRecord, RunResult } from "../results/schema.ts";
import { maxOf } from "../shared/bulk-arrays.ts";

/** How the values of several repetitions of one strategy combine into one figure. */
export type Aggregation = "mean" | "sum" | "max";

/** One metric of a run. */
export interface MetricDefinition {
  /** Stable id used in compare output and docs ("throughput.opsPerSec"). */
  id: string;
  label: string;
  unit: "ops/s" | "ms" | "µs" | "count" | "ratio" | "bytes";
  better: "higher" | "lower";
  aggregate: Aggregation;
  /** True when the figure is bound by fsync, so it is also shown as a ratio to the disk floor. */
  fsyncBound: boolean;
  /** The value for one run, undefined when not measured. */
  read: (run: RunResult) => number | undefined;
}

// A finite number or undefined.
const finite = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

/**
 * The run's fixed-rate phase: its first open-loop phase with a target rate and measured latency (the same load
 * for every strategy, so latency compares at equal load). A nemesis chaos phase comes after it in the ready-made
 * scenarios.
 */
export function readFixedRatePhase(run: RunResult): PhaseRecord | undefined {
  const faulted = (phase: PhaseRecord): boolean =>
    run.events.some((event) => FAULT_EVENTS.has(event.type) && event.tMs >= phase.startMs && event.tMs <= phase.endMs);
  return run.phases.find(
    (phase) =>
      phase.executor === "open" && phase.rate !== undefined && (phase.latency?.count ?? 0) > 0 && !faulted(phase),
  );
}

// Events that mean a phase ran under faults (its latency is not the strategy's cost at that rate).
const FAULT_EVENTS = new Set(["kill", "stop", "power-cut", "restart", "unexpected-exit"]);

/** Every metric, in display order. */
export const METRICS: readonly MetricDefinition[] = [
  {
    id: "throughput.opsPerSec",
    label: "throughput",
    unit: "ops/s",
    better: "higher",
    aggregate: "mean",
    fsyncBound: false,
    read: (run) => finite(run.metrics.throughput.opsPerSec),
  },
  {
    id: "latency.p50Ms",
    label: "p50 latency",
    unit: "ms",
    better: "lower",
    aggregate: "mean",
    fsyncBound: false,
    read: (run) => (run.metrics.latency.all.count > 0 ? finite(run.metrics.latency.all.p50Ms) : undefined),
  },
  {
    id: "latency.p99Ms",
    label: "p99 latency",
    unit: "ms",
    better: "lower",
    aggregate: "mean",
    fsyncBound: false,
    read: (run) => (run.metrics.latency.all.count > 0 ? finite(run.metrics.latency.all.p99Ms) : undefined),
  },
  {
    id: "latency.p999Ms",
    label: "p99.9 latency",
    unit: "ms",
    better: "lower",
    aggregate: "mean",
    fsyncBound: false,
    read: (run) => (run.metrics.latency.all.count > 0 ? finite(run.metrics.latency.all.p999Ms) : undefined),
  },
  {
    id: "fixedRate.p50Ms",
    label: "p50 latency at a fixed rate",
    unit: "ms",
    better: "lower",
    aggregate: "mean",
    fsyncBound: false,
    read: (run) => finite(readFixedRatePhase(run)?.latency?.p50Ms),
  },
  {
    id: "fixedRate.p99Ms",
    label: "p99 latency at a fixed rate",
    unit: "ms",
    better: "lower",
    aggregate: "mean",
    fsyncBound: false,
    read: (run) => finite(readFixedRatePhase(run)?.latency?.p99Ms),
  },
  {
    id: "fsync.p50Us",
    label: "fsync p50",
    unit: "µs",
    better: "lower",
    aggregate: "mean",
    fsyncBound: true,
    read: (run) =>
      run.metrics.fsync.measured && run.metrics.fsync.count > 0 ? finite(run.metrics.fsync.p50Us) : undefined,
  },
  {
    id: "fsync.p99Us",
    label: "fsync p99",
    unit: "µs",
    better: "lower",
    aggregate: "mean",
    fsyncBound: true,
    read: (run) =>
      run.metrics.fsync.measured && run.metrics.fsync.count > 0 ? finite(run.metrics.fsync.p99Us) : undefined,
  },
  {
    id: "durability.lost",
    label: "acked writes lost",
    unit: "count",
    better: "lower",
    aggregate: "sum",
    fsyncBound: false,
    read: (run) => finite(run.metrics.durability?.lost),
  },
  {
    id: "durability.corrupt",
    label: "corrupt values",
    unit: "count",
    better: "lower",
    aggregate: "sum",
    fsyncBound: false,
    read: (run) => finite(run.metrics.durability?.corrupt),
  },
  {
    id: "durability.lossWindowMs",
    label: "loss window (max)",
    unit: "ms",
    better: "lower",
    aggregate: "max",
    fsyncBound: false,
    read: (run) => finite(run.metrics.durability?.lossWindowMs.max),
  },
  {
    id: "recovery.readyMs",
    label: "recovery time",
    unit: "ms",
    better: "lower",
    aggregate: "mean",
    fsyncBound: false,
    read: (run) => (run.metrics.recovery.measured ? finite(run.metrics.recovery.readyMs) : undefined),
  },
  {
    id: "rewrite.durationMs",
    label: "rewrite duration",
    unit: "ms",
    better: "lower",
    aggregate: "mean",
    fsyncBound: false,
    read: (run) => (run.metrics.rewrite.measured ? finite(run.metrics.rewrite.durationMs) : undefined),
  },
  {
    id: "rewrite.p99MsDuring",
    label: "p99 during rewrite",
    unit: "ms",
    better: "lower",
    aggregate: "mean",
    fsyncBound: false,
    read: (run) => (run.metrics.rewrite.measured ? finite(run.metrics.rewrite.p99MsDuring) : undefined),
  },
  {
    id: "errors.rate",
    label: "error rate",
    unit: "ratio",
    better: "lower",
    aggregate: "mean",
    fsyncBound: false,
    read: (run) => finite(run.metrics.errors.rate),
  },
];

/** Looks a metric up by id; undefined for an unknown id. */
export function findMetric(id: string): MetricDefinition | undefined {
  return METRICS.find((metric) => metric.id === id);
}

/** Combines repetition values; undefined when no run measured it. */
export function aggregateValues(values: readonly (number | undefined)[], aggregation: Aggregation): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  if (present.length === 0) return undefined;
  if (aggregation === "sum") return present.reduce((sum, v) => sum + v, 0);
  if (aggregation === "max") return maxOf(present);
  return present.reduce((sum, v) => sum + v, 0) / present.length;
}

/** Values of one metric for each run, in run order (undefined where not measured). */
export function readMetricValues(metric: MetricDefinition, runs: readonly RunResult[]): Array<number | undefined> {
  return runs.map((run) => metric.read(run));
}
