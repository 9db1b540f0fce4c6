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
  let low = 0,
    high = cdf.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((cdf[mid] ?? 1) < u) low = mid + 1;
    else high = mid;
  }
  return low;
}

// Pickers are classes so that one call site serving many clients stays monomorphic.
class SequentialPicker implements KeyPicker {
  #next: number;
  readonly #count: number;
  constructor(count: number, offset: number) {
    this.#count = count;
    this.#next = offset % count;
  }
  next(): number {
    const value = this.#next;
    this.#next = (value + 1) % this.#count;
    return value;
  }
}

class ZipfPicker implements KeyPicker {
  readonly #cdf: Float64Array;
  readonly #rng: Rng;
  constructor(cdf: Float64Array, rng: Rng) {
    this.#cdf = cdf;
    this.#rng = rng;
  }
  next(): number {
    return searchCdf(this.#cdf, this.#rng.next());
  }
}

class UniformPicker implements KeyPicker {
  readonly #count: number;
  readonly #rng: Rng;
  constructor(count: number, rng: Rng) {
    this.#count = count;
    this.#rng = rng;
  }
  next(): number {
    return this.#rng.int(this.#count);
  }
}

/** Creates a picker for the key space; `offset` staggers sequential pickers of different clients. */
export function createKeyPicker(keys: ResolvedKeys, rng: Rng, offset = 0): KeyPicker {
  if (keys.distribution === "sequential") return new SequentialPicker(keys.count, offset);
  if (keys.distribution === "zipf") return new ZipfPicker(createZipfCdf(keys.count, keys.skew), rng);
  return new UniformPicker(keys.count, rng);
}
