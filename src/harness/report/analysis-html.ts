// The report's verdict sections drawn from the analysis: the needs table (ties named), the verdict table
// (intervals, ★ only for a clear best, ≈ for strategies tied with it, machine-bound cells marked), the usual
// advice checked, and the bottleneck list. Pure.
import type { Analysis } from "../results/analysis-schema.ts";
import type { Results } from "../results/schema.ts";
import { describeInterval } from "./format-interval.ts";
import { describeConfig, formatValue, FSYNC_SCOPE_NOTE, trimNumber } from "./format.ts";
import { escapeHtml } from "./html-escape.ts";
import type { StrategySummary } from "./strategy-summary.ts";
import { answerNeeds } from "./verdict.ts";
import { describeBoundMetrics } from "../cli/verdict-summary.ts";

// The verdict table's columns: metric id, header, unit.
const COLUMNS: ReadonlyArray<{ id: string; header: string; unit: string }> = [
  { id: "throughput.opsPerSec", header: "Throughput", unit: "ops/s" },
  { id: "latency.p50Ms", header: "p50", unit: "ms" },
  { id: "latency.p99Ms", header: "p99", unit: "ms" },
  { id: "fixedRate.p99Ms", header: "p99 at fixed rate", unit: "ms" },
  { id: "fsync.p50Us", header: "fsync p50", unit: "µs" },
  { id: "fsync.p99Us", header: "fsync p99", unit: "µs" },
  { id: "durability.lost", header: "Acked writes lost", unit: "count" },
  { id: "durability.lossWindowMs", header: "Loss window", unit: "ms" },
  { id: "recovery.readyMs", header: "Recovery", unit: "ms" },
  { id: "rewrite.durationMs", header: "Rewrite", unit: "ms" },
];

/** The needs table: a tie names every tied strategy. */
export function renderNeedsTable(results: Results, analysis: Analysis): string {
  const rows = answerNeeds(results, analysis).map((answer) => {
    const use = answer.tied.length > 1 ? `tie: ${answer.tied.join(", ")}` : (answer.strategy ?? "—");
    const note = answer.note === "" ? "" : `<br><span class="muted">${escapeHtml(answer.note)}</span>`;
    return `<tr><td class="text">${escapeHtml(answer.need)}</td><td class="text${answer.tied.length > 1 ? " tie-answer" : ""}"><strong>${escapeHtml(use)}</strong></td><td class="text">${escapeHtml(answer.evidence)}${note}</td></tr>`;
  });
  return `<table id="needs-table"><thead><tr><th class="text" scope="col">If you need…</th><th class="text" scope="col">use</th><th class="text" scope="col">measured (95 % interval)</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

// The "×floor" suffix of an fsync cell.
function floorSuffix(summary: StrategySummary, id: string): string {
  const ratio =
    id === "fsync.p50Us" ? summary.fsyncFloorRatioP50 : id === "fsync.p99Us" ? summary.fsyncFloorRatioP99 : undefined;
  return ratio === undefined ? "" : `<span class="muted floor-ratio">${trimNumber(ratio)}× floor</span>`;
}

// One cell: the value, its interval, ★ (clear best) or ≈ (tied with the best), and a machine-bound mark.
function renderCell(
  summary: StrategySummary,
  column: (typeof COLUMNS)[number],
  analysis: Analysis,
  strategies: number,
): string {
  const value = summary.values[column.id];
  const figure = analysis.figures[summary.strategy]?.[column.id];
  const ranking = analysis.rankings[column.id];
  const leads =
    value !== undefined &&
    strategies > 1 &&
    ranking !== undefined &&
    ranking.leaders.includes(summary.strategy) &&
    ranking.order.length > 1;
  const mark = !leads
    ? ""
    : ranking.clear
      ? ' class="best"'
      : ' class="tie" title="indistinguishable from the best by compare\'s statistics"';
  const interval =
    figure === undefined || value === undefined
      ? ""
      : `<span class="ci">${escapeHtml(describeInterval(figure, column.unit))}</span>`;
  const bound =
    figure?.boundedBy === undefined
      ? ""
      : `<span class="bound" title="${escapeHtml(`${figure.boundedBy.join(" and ")} saturated during the phase that produced it`)}">machine-bound</span>`;
  return `<td${mark}>${escapeHtml(formatValue(value, column.unit))}${interval}${bound}${floorSuffix(summary, column.id)}</td>`;
}

/** The verdict table. */
export function renderVerdictTable(summaries: readonly StrategySummary[], analysis: Analysis): string {
  const columns = COLUMNS.filter(
    (column) => column.id !== "fixedRate.p99Ms" || summaries.some((s) => s.values[column.id] !== undefined),
  );
  const header = columns.map((c) => `<th scope="col">${escapeHtml(c.header)}</th>`).join("");
  const rows = summaries.map((summary) => {
    const runs =
      summary.failedRuns > 0
        ? `${summary.runs} ok, <span class="fail">${summary.failedRuns} failed</span>`
        : `${summary.runs}`;
    const verdict = summary.durabilityVerdict;
    const verdictClass = verdict === "pass" ? "pass" : verdict === "fail" ? "fail" : "muted";
    return (
      `<tr><td class="text"><strong>${escapeHtml(summary.strategy)}</strong><br><span class="muted">${escapeHtml(describeConfig(summary.config))}</span></td>` +
      `<td>${runs}</td>${columns.map((column) => renderCell(summary, column, analysis, summaries.length)).join("")}<td class="text ${verdictClass}">${escapeHtml(verdict)}</td></tr>`
    );
  });
  return (
    `<div class="table-wrap"><table id="verdict-table"><thead><tr><th scope="col" class="text">Strategy</th><th scope="col">Runs</th>${header}<th scope="col" class="text">Durability</th></tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table></div>` +
    `<p class="muted">Means over repetitions (lost: sum; loss window: worst), each with its 95 % interval: a bootstrap of the mean over the repetitions, or, with one run, over that run's time buckets (neighbouring buckets are not independent, so that interval is optimistic). ★ marks a best value the statistics of <code>compare</code> call clearly better than every other (bootstrap CI of the ratio beyond ±2 %, and Mann-Whitney p &lt; 0.05 where the repetitions can reach it); ≈ marks the strategies that tie for best because the difference is within noise. <em>machine-bound</em>: the machine's CPU or the load generator was saturated while the figure was measured, so it says more about the machine than about the strategy. "p99 at fixed rate" is the latency at the same offered load for every strategy, below saturation. fsync figures are also given as a multiple of this disk's raw fdatasync latency (the floor); ${escapeHtml(FSYNC_SCOPE_NOTE)}.</p>`
  );
}

/** The usual advice, checked: one row per use, its verdict and the figures behind it. */
export function renderClaims(analysis: Analysis): string {
  if (analysis.claims.length === 0)
    return `<p class="muted">None of the strategies the usual advice names ran in this scenario.</p>`;
  const rows = analysis.claims.map((claim) => {
    const cls =
      claim.verdict === "supported"
        ? "verdict-supported"
        : claim.verdict === "contradicted"
          ? "verdict-contradicted"
          : claim.verdict === "not measured" || claim.verdict === "inconclusive"
            ? "verdict-not-measured"
            : "verdict-partly";
    return (
      `<tr><td class="text"><strong>${escapeHtml(claim.use)}</strong></td><td class="text">${escapeHtml(claim.strategy)}<br><span class="muted">${escapeHtml(claim.advice)}</span></td><td class="text">${escapeHtml(claim.claim)}</td>` +
      `<td class="text ${cls}">${escapeHtml(claim.verdict)}</td><td class="text"><ul class="evidence">${claim.evidence.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul></td></tr>`
    );
  });
  return `<table id="claims-table"><thead><tr><th class="text" scope="col">Use</th><th class="text" scope="col">Usual advice</th><th class="text" scope="col">It claims</th><th class="text" scope="col">This run</th><th class="text" scope="col">Evidence</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** The saturated phases, said out loud (or that none was). */
export function renderBottlenecks(analysis: Analysis): string {
  const { saturated, bound } = analysis.bottlenecks;
  if (saturated.length === 0)
    return `<p id="bottlenecks">No load phase saturated the machine's CPU or the load generator: the figures measure the strategies.</p>`;
  const items = bound.map(
    (entry) =>
      `<li><strong>${escapeHtml(entry.strategy)}</strong>: ${escapeHtml(describeBoundMetrics(entry.metrics))} bounded by the ${escapeHtml(entry.by.join(" and "))} (CPU up to ${entry.cpuBusyPct.toFixed(1)} % busy; ${escapeHtml(entry.runs)})</li>`,
  );
  const phases = [...new Set(saturated.map((entry) => entry.phase))];
  const fixedRateBound = bound.some((entry) => entry.metrics.some((id) => id.startsWith("fixedRate")));
  const advice = fixedRateBound
    ? "Even the fixed-rate phase ran on a saturated machine, so no figure here isolates the strategies' cost: rerun on a quieter machine (or with fewer clients) before reading differences; loss figures are unaffected."
    : 'The "p99 at fixed rate" column compares the strategies at equal load below saturation.';
  return `<div id="bottlenecks"><p>${saturated.length} load phase(s) ran with the machine's CPU or the load generator saturated (phases: ${escapeHtml(phases.join(", "))}). Their figures are the machine's limit, not the strategy's persistence cost. ${escapeHtml(advice)}</p>${items.length > 0 ? `<ul>${items.join("")}</ul>` : ""}</div>`;
}
