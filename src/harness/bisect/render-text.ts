// The terminal view of a bisect report: the ends, each tested commit with its figures and confidence
// intervals, and the outcome (the first bad commit with its evidence). Pure.
import { formatNumber } from "./judge.ts";
import type { Contrast } from "./judge.ts";
import type { BisectReport } from "./report-model.ts";
import type { SideFigures } from "./records.ts";

// "17755 (n=3)".
const side = (figures: SideFigures): string => `${formatNumber(figures.mean)} (n=${figures.samples.length})`;

/** "-93.1 % [-94.0, -92.2] p=0.1", or "n/a" for a missing ratio. */
export function formatContrast(contrast: Contrast): string {
  const pct = (v: number): string => (Number.isFinite(v) ? `${v >= 0 ? "+" : ""}${(v * 100).toFixed(1)}` : "n/a");
  const ci = Number.isFinite(contrast.changeLow) ? ` [${pct(contrast.changeLow)}, ${pct(contrast.changeHigh)}]` : "";
  return `${pct(contrast.change)} %${ci}${Number.isFinite(contrast.p) ? ` p=${contrast.p.toPrecision(2)}` : ""}`;
}

/** Renders the whole report for the terminal. */
export function renderBisectText(report: BisectReport): string {
  const lines: string[] = [];
  const unit = report.metric.unit;
  lines.push(
    `bisect ${report.repo}: ${report.metric.id} (${unit}, ${report.metric.better} is better) of strategy ${report.strategy}, scenario ${report.scenario}`,
  );
  if (report.ends !== undefined) {
    const e = report.ends;
    lines.push(
      `ends: good ${e.good.slice(0, 12)} ${side(e.figures.good)} -> bad ${e.bad.slice(0, 12)} ${side(e.figures.bad)}: ${formatContrast(e.contrast)}, ${e.contrast.verdict}`,
    );
  }
  for (const step of report.steps) {
    const head = `step ${step.step} ${step.commit.slice(0, 12)} ${step.verdict.toUpperCase().padEnd(4)} ${step.subject}`;
    lines.push(head);
    if (step.figures !== undefined && step.vsGood !== undefined && step.vsBad !== undefined) {
      lines.push(
        `    good ${side(step.figures.good)} | this ${side(step.figures.candidate)} | bad ${side(step.figures.bad)}`,
      );
      lines.push(
        `    vs good ${formatContrast(step.vsGood)} (${step.vsGood.verdict}); vs bad ${formatContrast(step.vsBad)} (${step.vsBad.verdict})`,
      );
    } else {
      lines.push(`    ${step.reason}`);
    }
  }
  const o = report.outcome;
  if (o.status === "found") {
    lines.push(`first bad commit: ${o.commit} ${o.subject}`);
    const evidence = report.steps.find((s) => s.commit === o.commit);
    if (evidence?.vsGood !== undefined)
      lines.push(
        `  evidence: vs good ${formatContrast(evidence.vsGood)} over ${evidence.repetitions} interleaved repetitions`,
      );
    else if (report.ends !== undefined && report.ends.bad === o.commit)
      lines.push(
        `  evidence: it is the bad end itself (its parent was judged good): ${formatContrast(report.ends.contrast)}`,
      );
  } else if (o.status === "ambiguous") {
    lines.push(`no single first bad commit: ${o.reason}:`);
    for (const c of o.candidates) lines.push(`  ${c.commit} ${c.subject}`);
  } else {
    lines.push(`${o.status}: ${o.reason}`);
  }
  return lines.join("\n") + "\n";
}
