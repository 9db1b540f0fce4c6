// Text, markdown and HTML views of a Comparison (baseline A vs candidate B).
import { formatChange, formatValue, trimNumber } from "../report/format.ts";
import { embedJson, escapeHtml } from "../report/html-escape.ts";
import { renderMarkdownTable } from "../report/markdown.ts";
import { REPORT_CSS } from "../report/styles.ts";
import { renderTextTable } from "../report/terminal.ts";
import type { Comparison, CompareRow } from "./compare-results.ts";
import { describeNoisySides } from "../results/run-steal.ts";

// The cells of one row, shared by every view.
function describeRow(row: CompareRow): string[] {
  const unit = row.metric.unit;
  const ci = Number.isFinite(row.changeLow) ? `${formatChange(row.changeLow)} … ${formatChange(row.changeHigh)}` : "–";
  const floor =
    row.floorRatioA !== undefined && row.floorRatioB !== undefined
      ? `${trimNumber(row.floorRatioA)}× → ${trimNumber(row.floorRatioB)}×`
      : "";
  return [
    row.strategy,
    row.metric.label,
    formatValue(row.meanA, unit),
    formatValue(row.meanB, unit),
    formatChange(row.change),
    ci,
    Number.isFinite(row.p) ? row.p.toPrecision(2) : "–",
    `${row.samplesA.length}/${row.samplesB.length}`,
    floor,
    row.verdict,
  ];
}

const HEADER = [
  "strategy",
  "metric",
  "A (baseline)",
  "B (candidate)",
  "change",
  "95 % CI",
  "p (M-W)",
  "trials",
  "× disk floor",
  "verdict",
];

// Counts of verdicts as a sentence.
function summarizeVerdicts(comparison: Comparison): string {
  const count = (v: string) => comparison.rows.filter((r) => r.verdict === v).length;
  const extra = [
    comparison.onlyInA.length > 0 ? `only in A: ${comparison.onlyInA.join(", ")}` : "",
    comparison.onlyInB.length > 0 ? `only in B: ${comparison.onlyInB.join(", ")}` : "",
  ].filter((s) => s !== "");
  return (
    `${count("regressed")} regressed, ${count("improved")} improved, ${count("inconclusive")} inconclusive, ${count("unchanged")} unchanged` +
    (extra.length > 0 ? ` (${extra.join("; ")})` : "") +
    describeNoise(comparison)
  );
}

// A warning when either side was measured while the hypervisor took CPU time (empty otherwise).
function describeNoise(comparison: Comparison): string {
  const sides = describeNoisySides([
    ["A", comparison.steal.a],
    ["B", comparison.steal.b],
  ]);
  return sides.length === 0
    ? ""
    : `. Note: ${sides.join(" and ")}, so the machine may account for differences: rerun on a quieter machine to confirm`;
}

/** Terminal table of the comparison. */
export function renderComparisonText(comparison: Comparison): string {
  return `${renderTextTable([HEADER, ...comparison.rows.map(describeRow)])}\n${summarizeVerdicts(comparison)}`;
}

/** Markdown table of the comparison. */
export function renderComparisonMarkdown(comparison: Comparison): string {
  const rows = comparison.rows.map((row) => {
    const cells = describeRow(row);
    const verdict = cells[9] ?? "";
    cells[9] = verdict === "regressed" ? "🔴 regressed" : verdict === "improved" ? "🟢 improved" : verdict;
    return cells;
  });
  return `## persistlab compare\n\n${summarizeVerdicts(comparison)}\n\n${renderMarkdownTable(HEADER, rows, ["l", "l", "r", "r", "r", "r", "r", "r", "r", "l"])}\n`;
}

// A CSS forest-plot cell: the CI of the change on a ±range scale, the no-effect band and zero marked.
function renderCiBar(row: CompareRow, minEffect: number): string {
  const range = 0.5;
  const clamp = (v: number) => Math.max(-range, Math.min(range, v));
  const toPct = (v: number) => ((clamp(v) + range) / (2 * range)) * 100;
  const low = Number.isFinite(row.changeLow) ? row.changeLow : row.change;
  const high = Number.isFinite(row.changeHigh) ? row.changeHigh : row.change;
  if (!Number.isFinite(low) || !Number.isFinite(high)) return '<td class="ci-cell"></td>';
  const color = row.verdict === "regressed" ? "#D55E00" : row.verdict === "improved" ? "#009E73" : "#0072B2";
  const left = toPct(low),
    width = Math.max(toPct(high) - left, 0.8);
  return (
    `<td class="ci-cell"><div class="ci-track" title="change ${formatChange(row.change)} (CI shown on a ±50 % scale)">` +
    `<span class="ci-band" style="left:${toPct(-minEffect)}%;width:${toPct(minEffect) - toPct(-minEffect)}%"></span><span class="ci-zero"></span>` +
    `<span class="ci-range" style="left:${left}%;width:${width}%;background:${color}"></span><span class="ci-point" style="left:${toPct(row.change)}%"></span></div></td>`
  );
}

const CI_CSS = `#compare-table td, #compare-table th { white-space: nowrap; } .ci-cell { min-width: 160px; } .ci-track { position: relative; height: 14px; background: #f4f4f4; border-radius: 2px; }
.ci-band { position: absolute; top: 0; bottom: 0; background: #e0e0e0; } .ci-zero { position: absolute; left: 50%; top: -2px; bottom: -2px; width: 1px; background: #333; }
.ci-range { position: absolute; top: 4px; height: 6px; border-radius: 3px; } .ci-point { position: absolute; top: 1px; width: 2px; height: 12px; background: #111; margin-left: -1px; }`;

/** Self-contained HTML view (no scripts needed): the table with verdicts coloured and labelled. */
export function renderComparisonHtml(comparison: Comparison, labels: { a: string; b: string }): string {
  const body = comparison.rows
    .map((row) => {
      const cells = describeRow(row);
      const verdictClass = row.verdict === "regressed" ? "fail" : row.verdict === "improved" ? "pass" : "muted";
      return `<tr>${cells.map((c, i) => `<td class="${i < 2 || i === 9 ? "text" : ""}${i === 9 ? ` ${verdictClass}` : ""}"${i === 9 ? ` title="${escapeHtml(row.reason)}"` : ""}>${escapeHtml(c)}</td>`).join("")}${renderCiBar(row, comparison.options.minEffect)}</tr>`;
    })
    .join("");
  const o = comparison.options;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>persistlab compare</title><link rel="icon" href="data:,"><style>${REPORT_CSS}${CI_CSS}</style></head>
<body><main><h1>persistlab compare</h1>
<p class="lead">A (baseline): <code>${escapeHtml(labels.a)}</code><br>B (candidate): <code>${escapeHtml(labels.b)}</code></p>
<p><strong>${escapeHtml(summarizeVerdicts(comparison))}</strong></p>
<div class="table-wrap"><table id="compare-table"><thead><tr>${HEADER.map((h, i) => `<th class="${i < 2 || i === 9 ? "text" : ""}">${escapeHtml(h)}</th>`).join("")}<th class="text">change, 95 % CI (−50 % … +50 %)</th></tr></thead><tbody>${body}</tbody></table></div>
<p class="muted">change = mean(B)/mean(A) − 1 over repeated trials; 95 % CI: percentile bootstrap of the ratio of means (${o.resamples} resamples); p: two-sided Mann-Whitney U.
A verdict other than inconclusive needs ≥ 2 trials a side, the whole CI beyond ±${Math.round(o.minEffect * 100)} % and, where the trial counts can reach it, p &lt; ${o.alpha}. fsync figures are also shown as multiples of each run's disk floor. In the last column the bar is the CI, the tick the point estimate, the grey band the ±${Math.round(o.minEffect * 100)} % no-effect zone and the line zero; colour (orange regressed, green improved, blue inconclusive) repeats the verdict column. Hover a verdict for its reason.</p>
<script type="application/json" id="compare-data">${embedJson(comparison.rows.map((r) => ({ ...r, metric: r.metric.id })))}</script>
</main></body></html>
`;
}
