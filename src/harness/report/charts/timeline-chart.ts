// Throughput timeline of one run (ops/s, with p99 on a second axis), shaded by faults, saves and rewrites.
import type { RunEvent, RunResult } from "../../results/schema.ts";
import type { BandSpec, ChartSpec } from "../chart-spec.ts";
import { pickSeriesColor } from "../palette.ts";
import { maxOf } from "../../shared/bulk-arrays.ts";

// Pairs start/end events into shaded ranges (seconds); an unmatched start runs to the end of the run.
export function buildBands(events: readonly RunEvent[], endMs: number): BandSpec[] {
  const pairs: Array<{ start: string[]; end: string[]; kind: BandSpec["kind"]; label: string }> = [
    { start: ["kill", "stop", "power-loss"], end: ["ready"], kind: "fault", label: "kill/stop → ready" },
    { start: ["outage-start"], end: ["outage-end"], kind: "outage", label: "clients cut off" },
    { start: ["bgsave-start"], end: ["bgsave-end"], kind: "save", label: "RDB save" },
    { start: ["rewrite-start"], end: ["rewrite-end"], kind: "rewrite", label: "AOF rewrite" },
  ];
  const bands: BandSpec[] = [];
  for (const pair of pairs) {
    let openAt: number | undefined;
    for (const event of events) {
      if (openAt === undefined && pair.start.includes(event.type)) openAt = event.tMs;
      else if (openAt !== undefined && pair.end.includes(event.type)) {
        bands.push({
          from: openAt / 1000,
          to: Math.max(event.tMs, openAt + 50) / 1000,
          kind: pair.kind,
          label: pair.label,
        });
        openAt = undefined;
      }
    }
    if (openAt !== undefined)
      bands.push({ from: openAt / 1000, to: endMs / 1000, kind: pair.kind, label: `${pair.label} (no end)` });
  }
  return bands;
}

/** The timeline chart of one run; `index` picks the series colour. */
export function buildTimelineChart(run: RunResult, index: number): ChartSpec {
  const timeline = run.metrics.throughput.timeline;
  const bucketSec = run.metrics.throughput.bucketMs / 1000;
  const base = { id: `timeline-${index}`, title: `Throughput over time: ${run.strategy} (run ${run.id})` };
  const x = timeline.map((b) => b.tMs / 1000 + bucketSec / 2);
  const endMs = maxOf(
    timeline.map((b) => b.tMs + run.metrics.throughput.bucketMs),
    run.durationMs,
  );
  return {
    ...base,
    caption:
      "Successful ops per second in each bucket (solid, left axis) and the bucket's p99 latency (dashed, right axis); shaded: faults, saves and rewrites.",
    kind: "line",
    x: { label: "time since run start (s)" },
    y: { label: "throughput (ops/s)" },
    y2: { label: "p99 latency (ms)" },
    series: [
      { label: "throughput (ops/s)", color: pickSeriesColor(index), axis: "y" },
      { label: "p99 latency (ms)", color: "#555555", axis: "y2", dash: [6, 4] },
    ],
    data: [x, timeline.map((b) => b.opsPerSec), timeline.map((b) => (b.ok > 0 ? b.p99Ms : null))],
    bands: buildBands(run.events, endMs),
    lines: [],
    ...(timeline.length === 0 ? { empty: "No timeline recorded for this run." } : {}),
  };
}
