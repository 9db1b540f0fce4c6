// The verdict part of `run`'s terminal summary: per strategy the headline figures with their 95 % intervals,
// the needs (ties named), the machine-bound figures said out loud, and the usual advice checked.
import { analyzeResults } from "../analysis/analysis.ts";
import type { Analysis } from "../results/analysis-schema.ts";
import type { Results } from "../results/schema.ts";
import { describeInterval } from "../report/format-interval.ts";
import { formatValue } from "../report/format.ts";
import { renderTextTable } from "../report/terminal.ts";
import { answerNeeds } from "../report/verdict.ts";

// The figures shown per strategy: metric id, header, unit.
const FIGURES: ReadonlyArray<[string, string, string]> = [
  ["throughput.opsPerSec", "ops/s", "ops/s"],
  ["latency.p99Ms", "p99", "ms"],
  ["fixedRate.p99Ms", "p99 @ fixed rate", "ms"],
  ["fsync.p99Us", "fsync p99", "µs"],
  ["recovery.readyMs", "restart", "ms"],
  ["rewrite.durationMs", "rewrite", "ms"],
];

// One cell: value [low–high], "*" when machine-bound, "≈" when tied for best, "★" when clearly best.
function renderFigureCell(analysis: Analysis, strategy: string, id: string, unit: string): string {
  const figure = analysis.figures[strategy]?.[id];
  if (figure === undefined) return "–";
  const ranking = analysis.rankings[id];
  const mark =
    ranking === undefined || !ranking.leaders.includes(strategy) || ranking.order.length < 2
      ? ""
      : ranking.clear
        ? " ★"
        : " ≈";
  const interval = describeInterval(figure, unit)
    .replace(/, (\d+) runs$/, "")
    .replace(/^1 run, no interval$/, "n=1");
  const value = unit === "ops/s" ? Math.round(figure.mean).toLocaleString("en-US") : formatValue(figure.mean, unit);
  return `${value} [${interval}]${figure.boundedBy === undefined ? "" : " *"}${mark}`;
}

/** "closed-loop throughput and latency", "fixed-rate latency" or both, for a list of bound metric ids. */
export function describeBoundMetrics(metrics: readonly string[]): string {
  const parts = [
    metrics.some((id) => id.startsWith("throughput") || id.startsWith("latency"))
      ? "closed-loop throughput and latency"
      : "",
    metrics.some((id) => id.startsWith("fixedRate")) ? "fixed-rate latency" : "",
  ];
  return parts.filter((part) => part !== "").join(", ");
}

/** The verdict summary text (analysis computed when not given). */
export function renderVerdictSummary(results: Results, analysis: Analysis = analyzeResults(results)): string {
  const strategies = [...new Set(results.runs.map((run) => run.strategy))];
  const shown = FIGURES.filter(([id]) => strategies.some((s) => analysis.figures[s]?.[id] !== undefined));
  const rows = [
    ["strategy", ...shown.map(([, header]) => header)],
    ...strategies.map((s) => [s, ...shown.map(([id, , unit]) => renderFigureCell(analysis, s, id, unit))]),
  ];
  const lines = [
    "",
    "Figures with 95 % intervals [low–high] (over repetitions; with one run, over its time buckets); ★ clearly best, ≈ tied for best (within noise by compare's statistics), * bounded by the machine:",
    renderTextTable(rows),
    "",
    "Which strategy for which need:",
  ];
  for (const answer of answerNeeds(results, analysis)) {
    const use = answer.tied.length > 1 ? `tie: ${answer.tied.join(", ")}` : (answer.strategy ?? "—");
    lines.push(`  ${answer.need}: ${use} — ${answer.evidence}${answer.note === "" ? "" : `\n      ${answer.note}`}`);
  }
  const { saturated, bound } = analysis.bottlenecks;
  if (saturated.length > 0) {
    const fixedRateBound = bound.some((entry) => entry.metrics.some((id) => id.startsWith("fixedRate")));
    const advice = fixedRateBound
      ? "even the fixed-rate phase was saturated: rerun on a quieter machine before reading differences; loss figures are unaffected"
      : "compare the strategies at the fixed rate instead";
    lines.push(
      "",
      `bottleneck: ${saturated.length} load phase(s) ran with the machine's CPU or the load generator saturated; these figures are the machine's limit, not the strategy's cost (${advice}):`,
    );
    for (const entry of bound)
      lines.push(
        `  ${entry.strategy}: ${describeBoundMetrics(entry.metrics)} (${entry.by.join(" and ")}, CPU up to ${entry.cpuBusyPct.toFixed(1)} % busy, ${entry.runs})`,
      );
  }
  if (analysis.claims.length > 0) {
    lines.push("", "The usual advice, checked against this run:");
    for (const claim of analysis.claims) {
      lines.push(`  ${claim.use} → ${claim.strategy} (${claim.advice}): ${claim.verdict.toUpperCase()}`);
      for (const evidence of claim.evidence) lines.push(`      - ${evidence}`);
    }
  }
  return lines.join("\n");
}
