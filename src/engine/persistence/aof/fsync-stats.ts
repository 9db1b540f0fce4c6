// The engine's own fsync latency figures (INFO persistence persistlab_fsync_*): every fdatasync the
// AOF issues (group commits, background everysec fsyncs, rewrites' final syncs), in microseconds.
import * as hdr from "hdr-histogram-js";
import type { InfoField } from "../hooks.ts";

// One hour in µs: anything slower is clamped.
const MAX_TRACKABLE_US = 3_600_000_000;

/** Counts and distributes fsync latencies. */
export class FsyncStats {
  private readonly histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: MAX_TRACKABLE_US, numberOfSignificantValueDigits: 3, bitBucketSize: 32 });
  private maxUs = 0;
  count = 0;

  /** Records one fsync's duration. */
  record(durationUs: number): void {
    const value = Math.min(MAX_TRACKABLE_US, Math.max(1, Math.round(durationUs)));
    this.histogram.recordValue(value);
    if (value > this.maxUs) this.maxUs = value;
    this.count += 1;
  }

  /** persistlab_fsync_count, _p50_us, _p99_us, _max_us. */
  info(): InfoField[] {
    const empty = this.count === 0;
    return [
      ["persistlab_fsync_count", this.count],
      ["persistlab_fsync_p50_us", empty ? 0 : this.histogram.getValueAtPercentile(50)],
      ["persistlab_fsync_p99_us", empty ? 0 : this.histogram.getValueAtPercentile(99)],
      ["persistlab_fsync_max_us", this.maxUs],
    ];
  }
}
