// HDR summaries against reference values (nearest-rank percentiles of known data; HDR keeps 3 significant digits).
import { describe, expect, it } from "vitest";
import { createHistogram, recordLatencyUs, summarizeHistogram } from "../../../src/harness/stats/histogram.ts";
import { TimelineRecorder } from "../../../src/harness/stats/timeline.ts";
import * as hdr from "hdr-histogram-js";

// Relative closeness: HDR with 3 significant digits is within 0.1% of the true value.
const near = (actual: number, expected: number, relative = 0.002): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * relative + 0.001);
};

describe("latency histograms", () => {
  it("matches nearest-rank percentiles of 1..10000 µs", () => {
    const h = createHistogram();
    for (let us = 1; us <= 10_000; us++) recordLatencyUs(h, us);
    const s = summarizeHistogram(h);
    // Reference: for 1..N, the nearest-rank p-th percentile is ceil(p/100 × N).
    expect(s.count).toBe(10_000);
    near(s.p50Ms, 5.0);
    near(s.p90Ms, 9.0);
    near(s.p99Ms, 9.9);
    near(s.p999Ms, 9.99);
    near(s.maxMs, 10.0);
    near(s.meanMs, 5.0005);
    expect(s.cdf[0]).toEqual([0, 0.001]);
    expect(s.cdf.map(([p]) => p)).toContain(99.99);
    // The encoded histogram decodes to the same distribution.
    const decoded = hdr.decodeFromCompressedBase64(s.hdrBase64);
    expect(decoded.totalCount).toBe(10_000);
    h.destroy();
  });

  it("summarises an empty histogram as zeros", () => {
    const h = createHistogram();
    expect(summarizeHistogram(h)).toMatchObject({ count: 0, p99Ms: 0, cdf: [] });
    h.destroy();
  });

  it("clamps values outside the trackable range instead of throwing", () => {
    const h = createHistogram();
    recordLatencyUs(h, 0);
    recordLatencyUs(h, 1e13);
    expect(h.totalCount).toBe(2);
    h.destroy();
  });
});

describe("timeline", () => {
  it("buckets outcomes by time and computes per-bucket throughput and p99", () => {
    const t = new TimelineRecorder(500);
    for (let i = 0; i < 100; i++) t.record(10 + i, "ok", 1000);
    t.record(700, "fail", 0);
    t.record(1600, "ok", 3000);
    const buckets = t.finish(2000);
    expect(buckets.map((b) => b.tMs)).toEqual([0, 500, 1000, 1500]);
    expect(buckets[0]).toMatchObject({ ok: 100, opsPerSec: 200, fail: 0 });
    near(buckets[0]?.p99Ms ?? 0, 1);
    expect(buckets[1]).toMatchObject({ ok: 0, fail: 1, p99Ms: 0 });
    expect(buckets[2]).toMatchObject({ ok: 0, fail: 0 });
    near(buckets[3]?.p99Ms ?? 0, 3);
  });
});
