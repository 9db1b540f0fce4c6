// The engine's own fsync latency figures (INFO persistence persistlab_fsync_*): every fdatasync the
// AOF issues (group commits, background everysec fsyncs, rewrites' final syncs), in microseconds.
// The histogram library is loaded in the background (it costs ~50-100 ms of start-up, and the engine
// is started many times per harness run); durations seen before it arrives wait in a small array.
import type { Histogram } from "hdr-histogram-js";
import type { InfoField } from "../hooks.ts";

// One hour in µs: anything slower is clamped.
const MAX_TRACKABLE_US = 3_600_000_000;

type HistogramLibrary = typeof import("hdr-histogram-js");

let library: Promise<HistogramLibrary> | undefined;

// Starts loading the library once per process.
function loadLibrary(): Promise<HistogramLibrary> {
  library ??= import("hdr-histogram-js");
  return library;
}

// Exact percentile of a small sorted sample (nearest rank), used until the histogram is there.
function percentileOf(sorted: readonly number[], percentile: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? 0;
}

/** Counts and distributes fsync latencies. */
export class FsyncStats {
  private histogram: Histogram | null = null;
  private early: number[] = [];
  private maxUs = 0;
  count = 0;

  constructor() {
    loadLibrary().then(
      (hdr) => {
        const histogram = hdr.build({
          lowestDiscernibleValue: 1,
          highestTrackableValue: MAX_TRACKABLE_US,
          numberOfSignificantValueDigits: 3,
          bitBucketSize: 32,
        });
        for (const value of this.early) histogram.recordValue(value);
        this.early = [];
        this.histogram = histogram;
      },
      () => {
        // Without the library the figures stay exact over the early sample (never expected in practice).
      },
    );
  }

  /** Records one fsync's duration. */
  record(durationUs: number): void {
    const value = Math.min(MAX_TRACKABLE_US, Math.max(1, Math.round(durationUs)));
    if (this.histogram !== null) this.histogram.recordValue(value);
    else if (this.early.length < 100_000) this.early.push(value);
    if (value > this.maxUs) this.maxUs = value;
    this.count += 1;
  }

  /** persistlab_fsync_count, _p50_us, _p99_us, _max_us. */
  info(): InfoField[] {
    const empty = this.count === 0;
    const histogram = this.histogram;
    const sorted = histogram === null ? [...this.early].sort((a, b) => a - b) : [];
    const at = (percentile: number): number =>
      empty ? 0 : histogram === null ? percentileOf(sorted, percentile) : histogram.getValueAtPercentile(percentile);
    return [
      ["persistlab_fsync_count", this.count],
      ["persistlab_fsync_p50_us", at(50)],
      ["persistlab_fsync_p99_us", at(99)],
      ["persistlab_fsync_max_us", this.maxUs],
    ];
  }
}
