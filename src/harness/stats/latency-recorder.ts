// Per-op latency histograms plus an "all" histogram, for one run (recorded only while a phase records).
import {
  createHistogram,
  recordLatencyUs,
  summarizeHistogram,
  type LatencyHistogram,
  type LatencySummary,
} from "./histogram.ts";

/** Collects latencies per command name. */
export class LatencyRecorder {
  readonly #byOp = new Map<string, LatencyHistogram>();

  /** Records one successful op's latency in µs. */
  record(op: string, latencyUs: number): void {
    let histogram = this.#byOp.get(op);
    if (histogram === undefined) {
      histogram = createHistogram();
      this.#byOp.set(op, histogram);
    }
    recordLatencyUs(histogram, latencyUs);
  }

  /** Summaries per op and for all ops together (`all` is the sum of the per-op histograms). */
  summarize(): { all: LatencySummary; byOp: Record<string, LatencySummary> } {
    const byOp: Record<string, LatencySummary> = {};
    const all = createHistogram();
    for (const [op, histogram] of [...this.#byOp].sort(([a], [b]) => a.localeCompare(b))) {
      byOp[op] = summarizeHistogram(histogram);
      all.add(histogram);
    }
    const summary = summarizeHistogram(all);
    all.destroy();
    return { all: summary, byOp };
  }

  /** Frees the histograms' memory. */
  destroy(): void {
    for (const histogram of this.#byOp.values()) histogram.destroy();
    this.#byOp.clear();
  }
}
