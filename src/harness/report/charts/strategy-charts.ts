// Charts comparing strategies: latency percentiles (CDF), fsync against the disk floor, loss, recovery time by
// data size and rewrite cost. Repetitions are averaged. Pure.
import type { Results, RunResult } from "../../results/schema.ts";
import { CDF_PERCENTILES } from "../../stats/histogram.ts";
import { createEmptyChart, toNinesAxis, type ChartSpec } from "../chart-spec.ts";
import { listStrategies, summarizeStrategies } from "../strategy-summary.ts";
import { pickSeriesColor } from "../palette.ts";

// ok runs of a strategy (all of its runs if none is ok).
function runsOf(results: Results, strategy: string): RunResult[] {
  const all = results.runs.filter((r) => r.strategy === strategy);
  const ok = all.filter((r) => r.status === "ok");
  return ok.length > 0 ? ok : all;
}

// Mean of the present values, null when none.
function meanOrNull(values: Array<number | undefined>): number | null {
  const present = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  return present.length === 0 ? null : present.reduce((s, v) => s + v, 0) / present.length;
}

/** Latency by percentile for each strategy (log y, "nines" x). */
export function buildLatencyChart(results: Results): ChartSpec {
  const base = {
    id: "latency",
    title: "Latency by percentile",
    caption:
      "Command latency of successful ops at each percentile, averaged over repetitions; further right is rarer (90 %, 99 %, 99.9 % …), higher is slower.",
    x: { label: "percentile", percentile: true },
    y: { label: "latency (ms)", log: true },
  };
  const strategies = listStrategies(results);
  const percentiles = CDF_PERCENTILES.filter((p) => p < 100);
  const columns = strategies.map((strategy) =>
    percentiles.map((p) =>
      meanOrNull(
        runsOf(results, strategy).map((run) => {
          const point = run.metrics.latency.all.cdf.find(([percentile]) => percentile === p);
          return point === undefined || point[1] <= 0 ? undefined : point[1];
        }),
      ),
    ),
  );
  if (columns.every((c) => c.every((v) => v === null))) return createEmptyChart(base, "No latency was recorded.");
  return {
    ...base,
    kind: "line",
    series: strategies.map((label, i) => ({ label, color: pickSeriesColor(i), axis: "y" as const, points: true })),
    data: [percentiles.map(toNinesAxis), ...columns],
    bands: [],
    lines: [],
  };
}

/** fsync p50/p99 per strategy with the disk floor's p50 and p99 as reference lines. */
export function buildFsyncChart(results: Results): ChartSpec {
  // Log scale: one strategy's p99 can be 50x the others' (aof-everysec's fsync thread under a rewrite), and on a
  // linear axis it flattened every other bar and the disk-floor lines to nothing visible.
  const base = {
    id: "fsync",
    title: "fsync latency against the disk floor",
    caption:
      "The engine's fsync latency per strategy, on a log scale; the dashed lines are the raw fdatasync latency of this disk (the physical floor).",
    x: { label: "strategy" },
    y: { label: "fsync latency (µs)", log: true },
  };
  const summaries = summarizeStrategies(results).filter((s) => s.values["fsync.p50Us"] !== undefined);
  if (summaries.length === 0)
    return createEmptyChart(
      base,
      "No strategy reported fsync latency (the engine never fsynced, or the engine does not report it).",
    );
  const floor = results.diskFloor.measured ? results.diskFloor : undefined;
  return {
    ...base,
    kind: "bars",
    x: { label: "strategy", categories: summaries.map((s) => s.strategy) },
    series: [
      { label: "fsync p50 (µs)", color: pickSeriesColor(0), axis: "y" },
      { label: "fsync p99 (µs)", color: pickSeriesColor(1), axis: "y" },
    ],
    data: [
      summaries.map((_, i) => i),
      summaries.map((s) => s.values["fsync.p50Us"] ?? null),
      summaries.map((s) => s.values["fsync.p99Us"] ?? null),
    ],
    bands: [],
    lines:
      floor === undefined
        ? []
        : [
            { value: floor.p50Us, label: `disk floor p50 ${Math.round(floor.p50Us)} µs`, axis: "y" },
            { value: floor.p99Us, label: `disk floor p99 ${Math.round(floor.p99Us)} µs`, axis: "y" },
          ],
  };
}

/** Acknowledged writes lost and the loss window per strategy. */
export function buildLossChart(results: Results): ChartSpec {
  const base = {
    id: "loss",
    title: "Acknowledged writes lost after faults",
    caption:
      "Writes the engine acknowledged but that were gone after the restart (left, summed over repetitions) and the longest span of acknowledged time lost (right).",
    x: { label: "strategy" },
    y: { label: "acknowledged writes lost (count)" },
  };
  const summaries = summarizeStrategies(results).filter((s) => s.values["durability.lost"] !== undefined);
  if (summaries.length === 0)
    return createEmptyChart(base, "No durability figures: this scenario injected no kill or power-loss faults.");
  return {
    ...base,
    kind: "bars",
    x: { label: "strategy", categories: summaries.map((s) => s.strategy) },
    y2: { label: "loss window (ms)" },
    series: [
      { label: "acked writes lost (count)", color: pickSeriesColor(4), axis: "y" },
      { label: "loss window max (ms)", color: pickSeriesColor(5), axis: "y2" },
    ],
    data: [
      summaries.map((_, i) => i),
      summaries.map((s) => s.values["durability.lost"] ?? null),
      summaries.map((s) => s.values["durability.lossWindowMs"] ?? null),
    ],
    bands: [],
    lines: [],
  };
}

/** Restart-to-ready time against data set size, one line per strategy. */
export function buildRecoveryChart(results: Results): ChartSpec {
  const base = {
    id: "recovery",
    title: "Recovery time by data size",
    caption:
      "Time from starting the process to serving (PING ok, loading done) after a stop, by number of keys; averaged over repetitions.",
    x: { label: "keys in the data set (log)", log: true },
    y: { label: "time to ready (ms)" },
  };
  const strategies = listStrategies(results);
  const points = new Map<string, Map<number, number[]>>();
  for (const strategy of strategies) {
    const bySize = new Map<number, number[]>();
    for (const run of runsOf(results, strategy)) {
      const recovery = run.metrics.recovery;
      if (!recovery.measured) continue;
      const samples =
        recovery.bySize.length > 0 ? recovery.bySize : [{ keys: recovery.keysBefore, readyMs: recovery.readyMs }];
      for (const sample of samples)
        if (sample.keys > 0) bySize.set(sample.keys, [...(bySize.get(sample.keys) ?? []), sample.readyMs]);
    }
    if (bySize.size > 0) points.set(strategy, bySize);
  }
  if (points.size === 0) return createEmptyChart(base, "Recovery was not measured in this scenario.");
  const sizes = [...new Set([...points.values()].flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  const measured = strategies.filter((s) => points.has(s));
  return {
    ...base,
    kind: "line",
    series: measured.map((label) => ({
      label,
      color: pickSeriesColor(strategies.indexOf(label)),
      axis: "y" as const,
      points: true,
    })),
    data: [sizes, ...measured.map((s) => sizes.map((size) => meanOrNull(points.get(s)?.get(size) ?? [])))],
    bands: [],
    lines: [],
  };
}

/** Rewrite duration and the p99 latency before and during the rewrite, per strategy. */
export function buildRewriteChart(results: Results): ChartSpec {
  const base = {
    id: "rewrite",
    title: "Rewrite cost (BGREWRITEAOF / BGSAVE under load)",
    caption:
      "How long the rewrite ran (left) and the p99 latency just before and while it ran (right), averaged over repetitions.",
    x: { label: "strategy" },
    y: { label: "rewrite duration (ms)" },
  };
  const strategies = listStrategies(results).filter((s) => runsOf(results, s).some((r) => r.metrics.rewrite.measured));
  if (strategies.length === 0) return createEmptyChart(base, "No rewrite was measured in this scenario.");
  const read = (strategy: string, field: "durationMs" | "p99MsBefore" | "p99MsDuring") =>
    meanOrNull(
      runsOf(results, strategy).map((r) => (r.metrics.rewrite.measured ? r.metrics.rewrite[field] : undefined)),
    );
  return {
    ...base,
    kind: "bars",
    x: { label: "strategy", categories: strategies },
    y2: { label: "p99 latency (ms)" },
    series: [
      { label: "rewrite duration (ms)", color: pickSeriesColor(0), axis: "y" },
      { label: "p99 before (ms)", color: pickSeriesColor(2), axis: "y2" },
      { label: "p99 during (ms)", color: pickSeriesColor(4), axis: "y2" },
    ],
    data: [
      strategies.map((_, i) => i),
      strategies.map((s) => read(s, "durationMs")),
      strategies.map((s) => read(s, "p99MsBefore")),
      strategies.map((s) => read(s, "p99MsDuring")),
    ],
    bands: [],
    lines: [],
  };
}
