// Throughput timeline: per-bucket (≤ 1 s) counts of ok/fail/info ops and the bucket's p99 latency.
import { createHistogram, recordLatencyUs, type LatencyHistogram } from "./histogram.ts";

/** One bucket of the timeline. tMs is the bucket start relative to run start. */
export interface TimelineBucket {
  tMs: number;
  ok: number;
  fail: number;
  info: number;
  /** ok ops per second in this bucket. */
  opsPerSec: number;
  /** p99 latency of ok ops in this bucket (ms), 0 when none. */
  p99Ms: number;
}

// Mutable state of one bucket while recording.
interface OpenBucket {
  ok: number;
  fail: number;
  info: number;
  histogram: LatencyHistogram | undefined;
}

/** Accumulates op outcomes into fixed-width time buckets. */
export class TimelineRecorder {
  readonly bucketMs: number;
  readonly #buckets: OpenBucket[] = [];

  constructor(bucketMs: number) {
    this.bucketMs = bucketMs;
  }

  // The bucket for a time (ms since run start), creating gaps as empty buckets.
  #bucket(tMs: number): OpenBucket {
    const index = Math.max(0, Math.floor(tMs / this.bucketMs));
    while (this.#buckets.length <= index) this.#buckets.push({ ok: 0, fail: 0, info: 0, histogram: undefined });
    return this.#buckets[index] as OpenBucket;
  }

  /** Records one completed op at tMs with its outcome and (for ok) its latency. */
  record(tMs: number, type: "ok" | "fail" | "info", latencyUs: number): void {
    const bucket = this.#bucket(tMs);
    if (type === "ok") {
      bucket.ok++;
      bucket.histogram ??= createHistogram();
      recordLatencyUs(bucket.histogram, latencyUs);
    } else if (type === "fail") bucket.fail++;
    else bucket.info++;
  }

  /** Closes every bucket into plain data, freeing histograms; `untilMs` pads empty buckets up to that time. */
  finish(untilMs?: number): TimelineBucket[] {
    if (untilMs !== undefined && untilMs > 0) this.#bucket(untilMs - 1);
    const out = this.#buckets.map((bucket, index) => {
      const p99Us = bucket.histogram?.getValueAtPercentile(99) ?? 0;
      bucket.histogram?.destroy();
      bucket.histogram = undefined;
      return {
        tMs: index * this.bucketMs,
        ok: bucket.ok,
        fail: bucket.fail,
        info: bucket.info,
        opsPerSec: Math.round((bucket.ok * 1000) / this.bucketMs),
        p99Ms: Math.round(p99Us) / 1000,
      };
    });
    this.#buckets.length = 0;
    return out;
  }
}
