// HDR latency histograms (hdr-histogram-js, WebAssembly when available) and their summaries in ms.
import * as hdr from "hdr-histogram-js";

/** Highest latency tracked: one hour in microseconds (larger values are clamped). */
export const MAX_TRACKABLE_US = 3_600_000_000;

let wasmReady: boolean | undefined;

// Initialises WebAssembly once; falls back to the pure-JS histogram if it fails.
function isWasmReady(): boolean {
  if (wasmReady === undefined) {
    try {
      hdr.initWebAssemblySync();
      wasmReady = true;
    } catch {
      wasmReady = false;
    }
  }
  return wasmReady;
}

/** A latency histogram in microseconds; destroy() frees WASM memory. */
export type LatencyHistogram = hdr.Histogram;

/** Creates a histogram with 3 significant digits from 1 µs to one hour. */
export function createHistogram(): LatencyHistogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: MAX_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
    ...(isWasmReady() ? { useWebAssembly: true } : { bitBucketSize: 32 as const }),
  });
}

/** Records one latency (µs), clamping into the trackable range. */
export function recordLatencyUs(histogram: LatencyHistogram, latencyUs: number): void {
  histogram.recordValue(Math.min(MAX_TRACKABLE_US, Math.max(1, Math.round(latencyUs))));
}

/** Percentiles of a latency distribution, in milliseconds. */
export interface LatencySummary {
  count: number;
  minMs: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** CDF points [percentile, ms] for drawing (0..100, denser in the tail). */
  cdf: Array<[number, number]>;
  /** The full histogram, HdrHistogram compressed base64 (decode with hdr-histogram-js decodeFromCompressedBase64). */
  hdrBase64: string;
}

/** Percentiles at which CDF points are taken: linear to 90, then each extra nine. */
export const CDF_PERCENTILES = [
  0, 5, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 97.5, 99, 99.5, 99.75, 99.9, 99.95, 99.99, 99.999, 100,
];

const usToMs = (us: number): number => Math.round(us) / 1000;

/** Summarises a histogram; an empty histogram gives zeros. */
export function summarizeHistogram(histogram: LatencyHistogram): LatencySummary {
  const count = histogram.totalCount;
  if (count === 0)
    return { count: 0, minMs: 0, meanMs: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, p999Ms: 0, maxMs: 0, cdf: [], hdrBase64: "" };
  return {
    count,
    minMs: usToMs(histogram.minNonZeroValue),
    meanMs: Math.round(histogram.mean) / 1000,
    p50Ms: usToMs(histogram.getValueAtPercentile(50)),
    p90Ms: usToMs(histogram.getValueAtPercentile(90)),
    p99Ms: usToMs(histogram.getValueAtPercentile(99)),
    p999Ms: usToMs(histogram.getValueAtPercentile(99.9)),
    maxMs: usToMs(histogram.maxValue),
    cdf: CDF_PERCENTILES.map((p) => [
      p,
      usToMs(p === 0 ? histogram.minNonZeroValue : histogram.getValueAtPercentile(p)),
    ]),
    hdrBase64: hdr.encodeIntoCompressedBase64(histogram),
  };
}
