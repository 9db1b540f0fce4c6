// report.html: one self-contained page (uPlot, CSS and data inlined) answering "which strategy for which need",
// with the verdict table, thresholds, charts and the environment. renderReport is pure apart from reading assets.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Results, RunResult } from "../results/schema.ts";
import { checkThresholds } from "../gate/check-thresholds.ts";
import { loadInlineAssets } from "./assets.ts";
import type { ChartSpec } from "./chart-spec.ts";
import { buildTimelineChart } from "./charts/timeline-chart.ts";
import {
  buildFsyncChart,
  buildLatencyChart,
  buildLossChart,
  buildRecoveryChart,
  buildRewriteChart,
} from "./charts/strategy-charts.ts";
import { CLIENT_SCRIPT } from "./client-script.ts";
import { formatBytes, trimNumber } from "./format.ts";
import { embedJson, escapeHtml } from "./html-escape.ts";
import { BAND_COLORS, REFERENCE_COLOR } from "./palette.ts";
import { parseResults } from "./read-results.ts";
import { summarizeStrategies } from "./strategy-summary.ts";
import { REPORT_CSS } from "./styles.ts";
import { renderBottlenecks, renderClaims, renderNeedsTable, renderVerdictTable } from "./analysis-html.ts";
import { renderDiskFaults } from "./disk-faults-html.ts";
import { renderRunbookDrills } from "./runbook-drills-html.ts";
import { analyzeResults } from "../analysis/analysis.ts";
import { measuredRunSteals } from "../results/run-steal.ts";
import { NOISY_STEAL_PCT } from "../stats/cpu-steal.ts";
import { maxOf, minOf } from "../shared/bulk-arrays.ts";

// The thresholds table (empty string when the scenario has none).
function renderThresholds(results: Results): string {
  const checks = checkThresholds(results);
  if (checks.length === 0) return `<p class="muted">This scenario sets no thresholds.</p>`;
  const rows = checks.map(
    (c) =>
      `<tr><td class="text"><code>${escapeHtml(c.key)}</code></td><td class="text"><code>${escapeHtml(c.threshold)}</code></td><td class="text">${escapeHtml(c.strategy)}</td>` +
      `<td>${escapeHtml(c.value === undefined ? "–" : `${trimNumber(c.value)} ${c.unit}`)}</td><td class="text ${c.status === "pass" ? "pass" : "fail"}">${c.status}</td></tr>`,
  );
  return `<table id="thresholds-table"><thead><tr><th class="text">Metric</th><th class="text">Threshold</th><th class="text">Strategy</th><th>Value</th><th class="text">Result</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

// One chart figure: title, caption, canvas holder or the reason it is empty.
function renderFigure(chart: ChartSpec): string {
  const body =
    chart.empty === undefined
      ? `<div class="chart" id="chart-${escapeHtml(chart.id)}" role="img" aria-label="${escapeHtml(`${chart.title}: ${chart.caption}`)}"></div>`
      : `<div class="empty" id="chart-${escapeHtml(chart.id)}">${escapeHtml(chart.empty)}</div>`;
  const kinds = [...new Set(chart.bands.map((b) => b.kind))];
  const labels: Record<string, string> = {
    fault: "kill/stop → ready",
    outage: "clients cut off",
    save: "RDB save",
    rewrite: "AOF rewrite",
  };
  const legend =
    kinds.length === 0
      ? ""
      : `<div class="band-legend">Shaded:${kinds.map((k) => `<span style="background:${BAND_COLORS[k]}"></span>${escapeHtml(labels[k] ?? k)}`).join("")}</div>`;
  return `<figure><h3>${escapeHtml(chart.title)}</h3><figcaption>${escapeHtml(chart.caption)}</figcaption>${body}${legend}</figure>`;
}

// The first ok run of each strategy (timelines show one run per strategy).
function pickTimelineRuns(results: Results): RunResult[] {
  const picked = new Map<string, RunResult>();
  for (const run of results.runs) {
    const current = picked.get(run.strategy);
    if (current === undefined || (current.status !== "ok" && run.status === "ok")) picked.set(run.strategy, run);
  }
  return [...picked.values()];
}

/** Every chart of the report, in page order. */
export function buildReportCharts(results: Results): { timelines: ChartSpec[]; comparisons: ChartSpec[] } {
  return {
    timelines: pickTimelineRuns(results).map((run, index) => buildTimelineChart(run, index)),
    comparisons: [
      buildLatencyChart(results),
      buildFsyncChart(results),
      buildLossChart(results),
      buildRecoveryChart(results),
      buildRewriteChart(results),
    ],
  };
}

// The machine-noise line: the runs' CPU steal over their recorded load, naming the runs it depressed.
function describeSteal(results: Results): string {
  const measured = measuredRunSteals(results);
  if (measured.length === 0)
    return "not measured (Linux /proc/stat only; results written before persistlab recorded it have none)";
  const figures = measured.map((entry) => entry.steal);
  const range = `${minOf(figures).toFixed(1)}-${maxOf(figures).toFixed(1)} % of CPU time during the recorded load`;
  const noisy = measured
    .filter((entry) => entry.steal >= NOISY_STEAL_PCT)
    .map((entry) => `${entry.id} (${entry.steal.toFixed(1)} %)`);
  return noisy.length === 0
    ? `${range}: no run was depressed by the machine`
    : `${range}; at ${NOISY_STEAL_PCT} % or more, so depressed by the machine: ${noisy.join(", ")}`;
}

// The environment list.
function renderEnvironment(results: Results): string {
  const env = results.environment;
  const floor = results.diskFloor;
  const items: Array<[string, string]> = [
    [
      "Scenario",
      `${results.scenario.name} (seed ${results.scenario.seed}, ${results.scenario.repetitions} repetition(s)${results.scenario.quick ? ", --quick" : ""})`,
    ],
    ["Results", `${results.status}, created ${results.createdAt}, schema v${results.schemaVersion}`],
    ["Engine", `${env.engine.name} ${env.engine.version} (${env.engine.kind}: ${env.engine.binary})`],
    ["persistlab", env.persistlabVersion],
    ["Runtime", `${env.runtime.name} ${env.runtime.version}`],
    ["Machine", `${env.hostname}: ${env.cpus} × ${env.cpuModel}, ${formatBytes(env.memoryBytes)} RAM`],
    ["OS", `${env.os} ${env.kernel}`],
    ["CPU steal", describeSteal(results)],
    [
      "Disk floor",
      floor.measured
        ? `fdatasync of ${floor.blockBytes} B on ${floor.path}: p50 ${Math.round(floor.p50Us)} µs, p99 ${Math.round(floor.p99Us)} µs, max ${Math.round(floor.maxUs)} µs (${floor.samples} samples)`
        : `not measured: ${floor.reason}`,
    ],
  ];
  return `<dl class="env">${items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>`;
}

/** Renders the whole report page for a results object. */
export function renderReport(results: Results): string {
  const assets = loadInlineAssets();
  const summaries = summarizeStrategies(results);
  const analysis = analyzeResults(results);
  const { timelines, comparisons } = buildReportCharts(results);
  const charts = [...comparisons, ...timelines];
  const payload = { charts, bandColors: BAND_COLORS, referenceColor: REFERENCE_COLOR };
  const title = `persistlab: ${results.scenario.name}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="icon" href="data:,">
<style>${assets.uplotCss}</style><style>${REPORT_CSS}</style></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
<p class="lead">${escapeHtml(results.scenario.description || "Persistence strategies measured under the same workload.")} · ${escapeHtml(results.environment.engine.name)} ${escapeHtml(results.environment.engine.version)} · ${escapeHtml(results.createdAt)}</p>
<h2>Which strategy for which need</h2>${renderNeedsTable(results, analysis)}
<h2>The usual advice, checked</h2>${renderClaims(analysis)}
<h2>Bottlenecks</h2>${renderBottlenecks(analysis)}
<h2>Verdict table</h2>${renderVerdictTable(summaries, analysis)}${renderDiskFaults(results)}${renderRunbookDrills(results)}
<h2>Strategies compared</h2><div class="charts">${comparisons.map(renderFigure).join("")}</div>
<h2>Throughput over time</h2><div class="charts">${timelines.map(renderFigure).join("")}</div>
<h2>Thresholds</h2>${renderThresholds(results)}
<h2>Environment and versions</h2>${renderEnvironment(results)}
<p class="muted">Generated by persistlab ${escapeHtml(results.environment.persistlabVersion)}. Re-render with <code>persistlab report results.json</code>.</p>
</main>
<script>${assets.uplotScript}</script>
<script type="application/json" id="report-data">${embedJson(payload)}</script>
<script>${CLIENT_SCRIPT}</script>
</body></html>
`;
}

/** Renders report.html next to a results.json (or to `outFile`); returns the written path. */
export function writeReport(resultsPath: string, outFile?: string): string {
  const results = parseResults(readFileSync(resultsPath, "utf8"), resultsPath);
  const target = outFile ?? join(dirname(resultsPath), "report.html");
  writeFileSync(target, renderReport(results));
  return target;
}
