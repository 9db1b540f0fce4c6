// The terminal summary of a scenario run: one row per run (strategy × repetition) plus the disk floor.
import type { Results, RunResult } from "../results/schema.ts";
import { measuredRunSteals } from "../results/run-steal.ts";
import { NOISY_STEAL_PCT } from "../stats/cpu-steal.ts";
import { SATURATED_LOOP_PCT } from "../stats/loop-busy.ts";
import { FSYNC_SCOPE_NOTE } from "../report/format.ts";
import { maxOf } from "../shared/bulk-arrays.ts";

// Formats a number compactly.
const fmt = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : "-");

// One table row of a run.
function renderRow(run: RunResult): string[] {
  const m = run.metrics;
  // "none": no fsync was recorded in the run (e.g. no AOF), rather than a 0 µs figure.
  const fsync = m.fsync.measured ? (m.fsync.count === 0 ? "none" : `${m.fsync.p99Us}`) : "n/m";
  const rewrite = m.rewrite.measured ? `${Math.round(m.rewrite.durationMs)}` : "n/m";
  const rss = m.rewrite.measured
    ? fmt(m.rewrite.peakRssBytes / 1048576, 1)
    : m.memory.measured === false
      ? "n/m"
      : fmt(m.memory.rssBytes / 1048576, 1);
  const ready = m.recovery.measured ? fmt(m.recovery.readyMs, 1) : "n/m";
  const steal = m.machine === undefined || !m.machine.measured ? "n/m" : `${fmt(m.machine.cpuStealPct, 1)}%`;
  return [
    run.strategy,
    String(run.repetition),
    run.status,
    String(m.throughput.opsPerSec),
    fmt(m.latency.all.p50Ms, 3),
    fmt(m.latency.all.p99Ms, 3),
    fmt(m.latency.all.p999Ms, 3),
    fsync,
    rewrite,
    rss,
    ready,
    `${(m.errors.rate * 100).toFixed(2)}%`,
    steal,
  ];
}

/** Renders the summary as an aligned text table. */
export function renderSummary(results: Results): string {
  const header = [
    "strategy",
    "rep",
    "status",
    "ops/s",
    "p50 ms",
    "p99 ms",
    "p99.9 ms",
    "fsync p99 µs",
    "rewrite ms",
    "peak RSS MB",
    "ready ms",
    "errors",
    "steal",
  ];
  const rows = [header, ...results.runs.map(renderRow)];
  const widths = header.map((_, i) => maxOf(rows.map((row) => (row[i] ?? "").length)));
  const lines = rows.map((row) =>
    row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  "),
  );
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  const floor = results.diskFloor.measured
    ? `disk fdatasync floor: p50 ${results.diskFloor.p50Us} µs, p99 ${results.diskFloor.p99Us} µs (${results.diskFloor.samples} × ${results.diskFloor.blockBytes} B)`
    : `disk floor: not measured (${results.diskFloor.reason})`;
  const engine = `${results.environment.engine.name} ${results.environment.engine.version} on ${results.environment.runtime.name} ${results.environment.runtime.version}`;
  const noisy = measuredRunSteals(results)
    .filter((entry) => entry.steal >= NOISY_STEAL_PCT)
    .map((entry) => `${entry.id} (${fmt(entry.steal, 1)}%)`);
  const noise: string[] =
    noisy.length === 0
      ? []
      : [
          `warning: the hypervisor took ${NOISY_STEAL_PCT}% or more of the CPU time (steal) during ${noisy.join(", ")}: those figures are depressed by the machine, not the engine; rerun them on a quieter machine before comparing.`,
        ];
  const saturated = results.runs.flatMap((r) =>
    r.metrics.machine?.measured === true && (r.metrics.machine.harnessLoopBusyPct ?? 0) >= SATURATED_LOOP_PCT
      ? [`${r.id} (${fmt(r.metrics.machine.harnessLoopBusyPct ?? 0, 1)}%)`]
      : [],
  );
  if (saturated.length > 0)
    noise.push(
      `warning: the harness's event loop was busy ${SATURATED_LOOP_PCT}% or more of the recorded load in ${saturated.join(", ")}: the load generator may have been the bottleneck there, so ops/s may be the harness's limit; fewer clients per harness, a shallower pipeline or history "none" lighten it.`,
    );
  const failed = results.runs.filter((r) => r.error !== undefined).map((r) => `  ${r.id}: ${r.error}`);
  return [
    `${results.scenario.name}: ${engine}`,
    ...lines,
    floor,
    `n/m = not measured (see results.json for the reason); fsync none = no fsync recorded in the run; ${FSYNC_SCOPE_NOTE}; steal = CPU time the hypervisor took during the recorded load`,
    ...noise,
    ...(failed.length > 0 ? ["failed runs:", ...failed] : []),
  ].join("\n");
}
