// report.html rendering: self-contained, escaped, data embedded, every chart specified with units.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { escapeRawText } from "../../../src/harness/report/assets.ts";
import { buildReportCharts, renderReport, writeReport } from "../../../src/harness/report/html.ts";
import { readResults } from "../../../src/harness/report/read-results.ts";

const matrix = readResults("test/fixtures/results/strategy-matrix.json");

// The JSON payload embedded in a rendered page.
function readPayload(html: string): { charts: Array<{ id: string; data: unknown[][] }> } {
  const match = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (match === null) throw new Error("no report-data block");
  return JSON.parse(match[1]!) as { charts: Array<{ id: string; data: unknown[][] }> };
}

describe("renderReport", () => {
  const html = renderReport(matrix);

  it("is one self-contained page: uPlot and CSS inlined, no external scripts, styles or images", () => {
    expect(html).toContain("var uPlot=");
    expect(html).toContain(".uplot");
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+rel="stylesheet"/i);
    expect(html).not.toMatch(/(src|href)="https?:/i);
    expect(html.match(/<\/script>/g)).toHaveLength(3); // uPlot, data, client script
  });

  it("states the runs' CPU steal in the environment list, naming runs the machine depressed", () => {
    expect(html).toContain("<dt>CPU steal</dt><dd>not measured");
    const noisy = readResults("test/fixtures/results/strategy-matrix.json");
    noisy.runs.forEach((run, index) => {
      run.metrics.machine = { measured: true, cpuStealPct: index === 1 ? 12.3 : 0.5, cpuBusyPct: 60, sampledSec: 4 };
    });
    const page = renderReport(noisy);
    expect(page).toContain(
      `0.5-12.3 % of CPU time during the recorded load; at 5 % or more, so depressed by the machine: ${noisy.runs[1]?.id ?? "?"} (12.3 %)`,
    );
  });

  it("embeds every chart's data, each axis with a unit", () => {
    const payload = readPayload(html);
    const ids = payload.charts.map((c) => c.id);
    expect(ids).toEqual([
      "latency",
      "fsync",
      "loss",
      "recovery",
      "rewrite",
      "timeline-0",
      "timeline-1",
      "timeline-2",
      "timeline-3",
      "timeline-4",
      "timeline-5",
    ]);
    const { timelines, comparisons } = buildReportCharts(matrix);
    for (const chart of [...timelines, ...comparisons]) {
      expect(chart.empty, chart.id).toBeUndefined();
      expect(chart.y.label, chart.id).toMatch(/\((ms|µs|ops\/s|count)\)$/);
      if (chart.x.categories === undefined && chart.x.percentile !== true)
        expect(chart.x.label, chart.id).toMatch(/\((s|log)\)$/);
      if (chart.y2 !== undefined) expect(chart.y2.label).toMatch(/\((ms|µs)\)$/);
      for (const column of chart.data) expect(column).toHaveLength(chart.data[0]!.length);
    }
  });

  it("answers the needs and lists environment and versions", () => {
    expect(html).toContain("Which strategy for which need");
    expect(html).toMatch(/No acknowledged write lost<\/td><td class="text"><strong>aof-always<\/strong>/);
    expect(html).toContain("persistlab-server 0.1.0 (bundled: dist/bin/persistlab-server.js)");
    expect(html).toContain("node v20.20.2");
    expect(html).toContain("p50 760 µs, p99 2250 µs");
    expect(html).toContain("1.07× floor");
    expect(html).toContain("fsync figures count every fdatasync recorded, a rewrite phase&#39;s included");
  });

  it("draws fsync latency on a log axis with the disk floor as reference lines", () => {
    const fsync = buildReportCharts(matrix).comparisons.find((chart) => chart.id === "fsync");
    expect(fsync?.y).toEqual({ label: "fsync latency (µs)", log: true });
    expect(fsync?.caption).toContain("log scale");
    expect(fsync?.lines.map((line) => line.value)).toEqual([
      matrix.diskFloor.measured ? matrix.diskFloor.p50Us : -1,
      matrix.diskFloor.measured ? matrix.diskFloor.p99Us : -1,
    ]);
  });

  it("shades kills, saves and rewrites on the timelines", () => {
    const rdb = buildReportCharts(matrix).timelines.find((c) => c.title.includes("rdb"))!;
    expect(rdb.bands.map((b) => [b.kind, b.from, b.to])).toEqual([
      ["fault", 8, 8.42],
      ["outage", 8, 8.45],
      ["save", 5, 5.9],
    ]);
  });

  it("escapes text from results and cannot be broken out of its script blocks", () => {
    const hostile = structuredClone(matrix);
    hostile.scenario.description = "</script><script>alert(1)</script>";
    hostile.runs[0]!.strategy = "<img src=x onerror=alert(1)>";
    const page = renderReport(hostile);
    expect(page).not.toContain("<script>alert(1)");
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(readPayload(page).charts.length).toBeGreaterThan(0);
    expect(escapeRawText("a</script>b</SCRIPT", "script")).toBe("a<\\/script>b<\\/SCRIPT");
  });

  it("shows why a chart is empty instead of drawing nothing", () => {
    const perfOnly = readResults("test/fixtures/results/baseline.json");
    const loss = buildReportCharts(perfOnly).comparisons.find((c) => c.id === "loss")!;
    expect(loss.empty).toMatch(/no kill or power-loss faults/);
    expect(renderReport(perfOnly)).toContain('<div class="empty" id="chart-loss">');
  });

  it("writeReport puts report.html beside results.json", () => {
    const dir = mkdtempSync(join(tmpdir(), "persistlab-report-"));
    try {
      writeFileSync(join(dir, "results.json"), readFileSync("test/fixtures/results/smoke-pass.json"));
      const out = writeReport(join(dir, "results.json"));
      expect(out).toBe(join(dir, "report.html"));
      expect(readFileSync(out, "utf8")).toMatch(/^<!doctype html>/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
