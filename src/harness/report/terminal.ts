// Plain-text per-strategy summary for terminals (repetitions combined), shared by report/gate/recommend output.
import type { Results } from "../results/schema.ts";
import { formatValue, trimNumber } from "./format.ts";
import { summarizeStrategies } from "./strategy-summary.ts";
import { maxOf } from "../shared/bulk-arrays.ts";

/** Aligns rows into columns (first column left, the rest right). */
export function renderTextTable(rows: ReadonlyArray<readonly string[]>): string {
  const widths = (rows[0] ?? []).map((_, i) => maxOf(rows.map((row) => (row[i] ?? "").length)));
  const lines = rows.map((row) =>
    row
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  return lines.join("\n");
}

/** One row per strategy: throughput, latency, fsync vs floor, loss, recovery, rewrite. */
export function renderTerminalSummary(results: Results): string {
  const rows = [
    [
      "strategy",
      "runs",
      "ops/s",
      "p50",
      "p99",
      "fsync p99",
      "×floor",
      "acked lost",
      "loss window",
      "recovery",
      "rewrite",
    ],
  ];
  for (const s of summarizeStrategies(results)) {
    rows.push([
      s.strategy,
      String(s.runs),
      formatValue(s.values["throughput.opsPerSec"], "count"),
      formatValue(s.values["latency.p50Ms"], "ms"),
      formatValue(s.values["latency.p99Ms"], "ms"),
      formatValue(s.values["fsync.p99Us"], "µs"),
      s.fsyncFloorRatioP99 === undefined ? "–" : trimNumber(s.fsyncFloorRatioP99),
      formatValue(s.values["durability.lost"], "count"),
      formatValue(s.values["durability.lossWindowMs"], "ms"),
      formatValue(s.values["recovery.readyMs"], "ms"),
      formatValue(s.values["rewrite.durationMs"], "ms"),
    ]);
  }
  return `${results.scenario.name} (${results.environment.engine.name} ${results.environment.engine.version})\n${renderTextTable(rows)}`;
}
