// bisect.html: the report as a page — the outcome, the ends, a dot plot of the metric per tested commit
// (mean and the ends' means as reference lines) and the table of every step's figures and intervals. Pure.
import { escapeHtml, embedJson } from "../report/html-escape.ts";
import { REPORT_CSS } from "../report/styles.ts";
import { formatNumber, type Contrast } from "./judge.ts";
import type { BisectReport } from "./report-model.ts";
import { formatContrast } from "./render-text.ts";
import { maxOf, minOf } from "../shared/bulk-arrays.ts";

// An inline SVG: per measured commit (in test order) its samples and mean, hollow rings at the good and bad ends'
// means measured in that step, and dashed lines at the ends' means from the start of the session.
function renderPlot(report: BisectReport): string {
  const measured = report.steps.filter((s) => s.figures !== undefined);
  if (report.ends === undefined || measured.length === 0) return "";
  const goodMean = report.ends.figures.good.mean,
    badMean = report.ends.figures.bad.mean;
  const values = [
    goodMean,
    badMean,
    ...measured.flatMap((s) => [...s.figures!.candidate.samples, s.figures!.good.mean, s.figures!.bad.mean]),
  ];
  const low = minOf(values),
    high = maxOf(values);
  const width = 640,
    height = 220,
    pad = 40;
  const y = (v: number): number =>
    high === low ? height / 2 : height - pad / 2 - ((v - low) / (high - low)) * (height - pad);
  const x = (i: number): number => pad + ((i + 0.5) / measured.length) * (width - 2 * pad);
  const line = (v: number, label: string, colour: string): string =>
    `<line x1="${pad}" x2="${width - pad}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${colour}" stroke-dasharray="4 3"/><text x="2" y="${(y(v) - 3).toFixed(1)}" font-size="11" fill="${colour}">${label} ${escapeHtml(formatNumber(v))}</text>`;
  const dots = measured
    .map((s, i) => {
      const colour = s.verdict === "bad" ? "#a13000" : s.verdict === "good" ? "#00683f" : "#777";
      const samples = s
        .figures!.candidate.samples.map(
          (v) => `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${colour}" opacity="0.5"/>`,
        )
        .join("");
      const ends = [s.figures!.good.mean, s.figures!.bad.mean]
        .map(
          (v, k) =>
            `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="4" fill="none" stroke="${k === 0 ? "#00683f" : "#a13000"}"><title>${k === 0 ? "good" : "bad"} end in this step: ${escapeHtml(formatNumber(v))}</title></circle>`,
        )
        .join("");
      return `${samples}${ends}<circle cx="${x(i).toFixed(1)}" cy="${y(s.figures!.candidate.mean).toFixed(1)}" r="5" fill="${colour}"><title>${escapeHtml(`${s.commit.slice(0, 12)} ${s.verdict}: ${formatNumber(s.figures!.candidate.mean)}`)}</title></circle><text x="${x(i).toFixed(1)}" y="${height - 2}" font-size="10" text-anchor="middle">step ${s.step}</text>`;
    })
    .join("");
  return `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(report.metric.label)} per tested commit">${line(goodMean, "good", "#00683f")}${line(badMean, "bad", "#a13000")}${dots}</svg>`;
}

// The outcome paragraph.
function renderOutcome(report: BisectReport): string {
  const o = report.outcome;
  if (o.status === "found")
    return `<p class="lead"><strong>First bad commit: <code>${escapeHtml(o.commit)}</code></strong> ${escapeHtml(o.subject)}</p>`;
  if (o.status === "ambiguous")
    return `<p class="lead"><strong>No single first bad commit</strong>: ${escapeHtml(o.reason)}:</p><ul>${o.candidates.map((c) => `<li><code>${escapeHtml(c.commit)}</code> ${escapeHtml(c.subject)}</li>`).join("")}</ul>`;
  return `<p class="lead"><strong>${escapeHtml(o.status)}</strong>: ${escapeHtml(o.reason)}</p>`;
}

// A change with its CI on a second line (keeps the table narrow).
function contrastCell(contrast: Contrast | undefined): string {
  return contrast === undefined
    ? "<td></td>"
    : `<td>${escapeHtml(formatContrast(contrast)).replace(" [", "<br>[")}</td>`;
}

/** Renders bisect.html. */
export function renderBisectHtml(report: BisectReport): string {
  const unit = escapeHtml(report.metric.unit);
  const rows = report.steps
    .map((s) => {
      const f = s.figures;
      const cell = (text: string): string => `<td>${escapeHtml(text)}</td>`;
      return (
        `<tr><td>${s.step}</td><td class="text"><code>${escapeHtml(s.commit.slice(0, 12))}</code> ${escapeHtml(s.subject)}</td><td class="text"><strong>${escapeHtml(s.verdict)}</strong></td>${cell(String(s.repetitions))}` +
        `${cell(f === undefined ? "" : formatNumber(f.good.mean))}${cell(f === undefined ? "" : formatNumber(f.candidate.mean))}${cell(f === undefined ? "" : formatNumber(f.bad.mean))}` +
        `${contrastCell(s.vsGood)}${contrastCell(s.vsBad)}<td class="text why">${escapeHtml(s.reason.split("; vs good ")[0] ?? s.reason)}</td></tr>`
      );
    })
    .join("");
  const ends =
    report.ends === undefined
      ? ""
      : `<p>Ends (${report.ends.repetitions} interleaved repetitions each): good <code>${escapeHtml(report.ends.good.slice(0, 12))}</code> ${escapeHtml(formatNumber(report.ends.figures.good.mean))} ${unit} → bad <code>${escapeHtml(report.ends.bad.slice(0, 12))}</code> ${escapeHtml(formatNumber(report.ends.figures.bad.mean))} ${unit}: ${escapeHtml(formatContrast(report.ends.contrast))} (${escapeHtml(report.ends.contrast.verdict)})</p>`;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>persistlab bisect</title><link rel="icon" href="data:,"><style>${REPORT_CSS} td.why { white-space: normal; min-width: 14em; }</style></head>` +
    `<body><main><h1>persistlab bisect: ${escapeHtml(report.metric.label)} (${unit}) of ${escapeHtml(report.strategy)}</h1>` +
    `<p class="lead">${escapeHtml(report.repo)} · good <code>${escapeHtml(report.good.commit.slice(0, 12))}</code> ${escapeHtml(report.good.subject)} · bad <code>${escapeHtml(report.bad.commit.slice(0, 12))}</code> ${escapeHtml(report.bad.subject)} · scenario ${escapeHtml(report.scenario)} · build <code>${escapeHtml(report.build)}</code></p>` +
    renderOutcome(report) +
    ends +
    `<h2>Metric per tested commit</h2>${renderPlot(report)}` +
    `<table><thead><tr><th>step</th><th class="text">commit</th><th class="text">verdict</th><th>reps</th><th>good</th><th>this commit</th><th>bad</th><th>vs good (95 % CI)</th><th>vs bad (95 % CI)</th><th class="text">why</th></tr></thead><tbody>${rows}</tbody></table>` +
    `<p class="lead">A commit is bad once it is clearly worse than good, good once it is clearly better than bad and nearer good (compare's rule: the whole bootstrap CI beyond ±${Math.round(report.stats.minEffect * 100)} % and Mann-Whitney p &lt; ${report.stats.alpha}), skipped when still unclear after ${report.stats.maxRepetitions} repetitions.</p>` +
    `<script type="application/json" id="bisect-data">${embedJson(report)}</script></main></body></html>\n`
  );
}
