// Percentile bootstrap confidence interval of the ratio of means mean(b) / mean(a). Pure (seeded resampling).
// Method: Efron & Tibshirani, "An Introduction to the Bootstrap" (1993), ch. 13, percentile interval;
// a and b are resampled independently (two-sample bootstrap, ch. 8.3).
import { createRng } from "../shared/rng.ts";

/** A point estimate with its confidence interval. */
export interface RatioInterval {
  /** mean(b) / mean(a) of the original samples. */
  ratio: number;
  low: number;
  high: number;
  confidence: number;
  resamples: number;
}

/** Options of the bootstrap; defaults: 2000 resamples, 95 % confidence, seed 1. */
export interface BootstrapOptions {
  resamples?: number;
  confidence?: number;
  seed?: number;
}

/** Arithmetic mean; NaN for an empty sample. */
export function computeMean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

// Quantile of sorted values by linear interpolation between order statistics (Hyndman & Fan type 7).
function quantileSorted(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const lowValue = sorted[lower] ?? Number.NaN;
  const highValue = sorted[upper] ?? lowValue;
  return lowValue + (highValue - lowValue) * (position - lower);
}

/** Bootstrap CI of mean(b)/mean(a); NaN bounds when a sample is empty or mean(a) is 0. */
export function bootstrapRatioOfMeans(
  a: readonly number[],
  b: readonly number[],
  options: BootstrapOptions = {},
): RatioInterval {
  const { resamples = 2000, confidence = 0.95, seed = 1 } = options;
  const ratio = computeMean(b) / computeMean(a);
  if (a.length === 0 || b.length === 0 || !Number.isFinite(ratio)) {
    return { ratio, low: Number.NaN, high: Number.NaN, confidence, resamples };
  }
  const rng = createRng(seed);
  const ratios: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let sumA = 0,
      sumB = 0;
    for (let i = 0; i < a.length; i++) sumA += a[rng.int(a.length)]!;
    for (let i = 0; i < b.length; i++) sumB += b[rng.int(b.length)]!;
    const resampled = sumB / b.length / (sumA / a.length);
    if (Number.isFinite(resampled)) ratios.push(resampled);
  }
  ratios.sort((x, y) => x - y);
  const alpha = (1 - confidence) / 2;
  return { ratio, low: quantileSorted(ratios, alpha), high: quantileSorted(ratios, 1 - alpha), confidence, resamples };
}

/** A mean with its percentile bootstrap confidence interval. */
export interface MeanInterval {
  mean: number;
  low: number;
  high: number;
  confidence: number;
}

/** Percentile bootstrap CI of the mean of one sample (seeded); NaN bounds for fewer than 2 values. */
export function bootstrapMean(values: readonly number[], options: BootstrapOptions = {}): MeanInterval {
  const { resamples = 2000, confidence = 0.95, seed = 1 } = options;
  const mean = computeMean(values);
  if (values.length < 2) return { mean, low: Number.NaN, high: Number.NaN, confidence };
  const rng = createRng(seed);
  const means: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[rng.int(values.length)]!;
    means.push(sum / values.length);
  }
  means.sort((x, y) => x - y);
  const alpha = (1 - confidence) / 2;
  return { mean, low: quantileSorted(means, alpha), high: quantileSorted(means, 1 - alpha), confidence };
}
