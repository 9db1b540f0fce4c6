// Seeded key pickers: uniform, zipf (exact inverse-CDF over the key space) and sequential (wrapping).
import type { Rng } from "../shared/rng.ts";
import type { ResolvedKeys } from "../scenario/resolved.ts";

/** Picks key indexes in [0, count). */
export interface KeyPicker {
  next(): number;
}

const ZIPF_CDF_CACHE = new Map<string, Float64Array>();

/** The zipf CDF over ranks 1..count with exponent skew: P(k) ∝ 1/k^skew (cached per count and skew). */
export function createZipfCdf(count: number, skew: number): Float64Array {
  const cacheKey = `${count}:${skew}`;
  const cached = ZIPF_CDF_CACHE.get(cacheKey);
  if (cached !== undefined) return cached;
  const cdf = new Float64Array(count);
  let sum = 0;
  for (let k = 1; k <= count; k++) {
    sum += 1 / Math.pow(k, skew);
    cdf[k - 1] = sum;
  }
  for (let i = 0; i < count; i++) cdf[i] = (cdf[i] ?? 0) / sum;
  ZIPF_CDF_CACHE.set(cacheKey, cdf);
  return cdf;
}

// First index whose CDF value is >= u (binary search).
function searchCdf(cdf: Float64Array, u: number): number {
  let low = 0, high = cdf.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((cdf[mid] ?? 1) < u) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Creates a picker for the key space; `offset` staggers sequential pickers of different clients. */
export function createKeyPicker(keys: ResolvedKeys, rng: Rng, offset = 0): KeyPicker {
  const count = keys.count;
  if (keys.distribution === "sequential") {
    let next = offset % count;
    return { next: () => { const value = next; next = (next + 1) % count; return value; } };
  }
  if (keys.distribution === "zipf") {
    const cdf = createZipfCdf(count, keys.skew);
    return { next: () => searchCdf(cdf, rng.next()) };
  }
  return { next: () => rng.int(count) };
}
