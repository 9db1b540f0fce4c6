// sin, cos and asin rounded correctly (but for ~2^-17 of inputs), for the geo distances. glibc's
// results are correctly rounded for all but ~0.15% of inputs, while V8's Math.sin/cos/asin (fdlibm)
// differ from glibc's for 3-9%; computing the value to ~70 bits and rounding once brings the
// distances Redis stores with STOREDIST, and the search boundaries, that much closer to Redis's.
// Double-double arithmetic without allocations: each operation returns the high part and leaves the
// low part in `low`. Arguments are those of geo math: |x| ≤ 2π for sin/cos, 0 ≤ s ≤ 1 for asin.

const SPLITTER = 134217729; // 2^27 + 1
let low = 0;

// a + b exactly: returns the sum, `low` = the error.
function twoSum(a: number, b: number): number {
  const sum = a + b;
  const virtual = sum - a;
  low = a - (sum - virtual) + (b - virtual);
  return sum;
}

// a × b exactly: returns the product, `low` = the error (Dekker's split; JS has no fused multiply-add).
function twoProduct(a: number, b: number): number {
  const product = a * b;
  let c = SPLITTER * a;
  const aHigh = c - (c - a);
  const aLow = a - aHigh;
  c = SPLITTER * b;
  const bHigh = c - (c - b);
  const bLow = b - bHigh;
  low = aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow;
  return product;
}

// (ah + al) + (bh + bl), normalised.
function add(ah: number, al: number, bh: number, bl: number): number {
  const sum = twoSum(ah, bh);
  const error = low + al + bl;
  const hi = sum + error;
  low = error - (hi - sum);
  return hi;
}

// (ah + al) × (bh + bl), normalised.
function multiply(ah: number, al: number, bh: number, bl: number): number {
  const product = twoProduct(ah, bh);
  const error = low + ah * bl + al * bh;
  const hi = product + error;
  low = error - (hi - product);
  return hi;
}

// 1/n! as double-doubles (high, low), n = 0..30.
const FACTORIAL_HIGH: number[] = [1];
const FACTORIAL_LOW: number[] = [0];
for (let n = 1; n <= 30; n += 1) {
  const previousHigh = FACTORIAL_HIGH[n - 1] as number;
  const previousLow = FACTORIAL_LOW[n - 1] as number;
  const quotient = previousHigh / n;
  const product = twoProduct(quotient, n);
  const remainder = previousHigh - product - low + previousLow;
  const correction = remainder / n;
  const hi = quotient + correction;
  FACTORIAL_HIGH.push(hi);
  FACTORIAL_LOW.push(correction - (hi - quotient));
}

// Series coefficients (-1)^m/(2m+1)! for sin(r)/r and (-1)^m/(2m)! for cos(r); the first HEAD
// terms are summed in double-double, the rest (under 2^-18 of the result) in plain doubles.
const HEAD = 4;
const TERMS = 14;
const SINE_HIGH = new Float64Array(TERMS + 1);
const SINE_LOW = new Float64Array(TERMS + 1);
const COSINE_HIGH = new Float64Array(TERMS + 1);
const COSINE_LOW = new Float64Array(TERMS + 1);
for (let m = 0; m <= TERMS; m += 1) {
  const sign = m % 2 === 0 ? 1 : -1;
  SINE_HIGH[m] = sign * (FACTORIAL_HIGH[2 * m + 1] as number);
  SINE_LOW[m] = sign * (FACTORIAL_LOW[2 * m + 1] as number);
  COSINE_HIGH[m] = sign * (FACTORIAL_HIGH[2 * m] as number);
  COSINE_LOW[m] = sign * (FACTORIAL_LOW[2 * m] as number);
}

// π/2 as three doubles (Cody-Waite reduction).
const HALF_PI_1 = 1.5707963267948966;
const HALF_PI_2 = 6.123233995736766e-17;
const HALF_PI_3 = -1.4973849048591698e-33;

let sineHigh = 0;
let sineLow = 0;
let cosineHigh = 0;
let cosineLow = 0;

// sin and cos of x = k·π/2 + r (|x| ≤ 2π) into sineHigh/Low and cosineHigh/Low.
function sinCos(x: number): void {
  const k = Math.round(x / HALF_PI_1);
  const head = x - k * HALF_PI_1; // exact: |k| ≤ 4 and x lies within a factor 2 of k·π/2
  let rh = twoSum(head, -k * HALF_PI_2);
  let rl = low - k * HALF_PI_3;
  rh = twoSum(rh, rl);
  rl = low;
  const squareHigh = multiply(rh, rl, rh, rl);
  const squareLow = low;
  let sh = SINE_HIGH[TERMS] as number;
  let ch = COSINE_HIGH[TERMS] as number;
  for (let m = TERMS - 1; m >= HEAD; m -= 1) {
    sh = (SINE_HIGH[m] as number) + squareHigh * sh;
    ch = (COSINE_HIGH[m] as number) + squareHigh * ch;
  }
  let sl = 0;
  let cl = 0;
  for (let m = HEAD - 1; m >= 0; m -= 1) {
    sh = multiply(squareHigh, squareLow, sh, sl);
    sh = add(SINE_HIGH[m] as number, SINE_LOW[m] as number, sh, low);
    sl = low;
    ch = multiply(squareHigh, squareLow, ch, cl);
    ch = add(COSINE_HIGH[m] as number, COSINE_LOW[m] as number, ch, low);
    cl = low;
  }
  sh = multiply(sh, sl, rh, rl);
  sl = low;
  const quadrant = ((k % 4) + 4) % 4;
  const sineSign = quadrant === 2 || quadrant === 3 ? -1 : 1;
  const cosineSign = quadrant === 1 || quadrant === 2 ? -1 : 1;
  const swap = quadrant === 1 || quadrant === 3;
  sineHigh = sineSign * (swap ? ch : sh);
  sineLow = sineSign * (swap ? cl : sl);
  cosineHigh = cosineSign * (swap ? sh : ch);
  cosineLow = cosineSign * (swap ? sl : cl);
}

/** sin(x), correctly rounded but for rare cases. */
export function preciseSin(x: number): number {
  if (x === 0 || !(Math.abs(x) <= 8)) return Math.sin(x);
  sinCos(x);
  return sineHigh + sineLow;
}

/** cos(x), correctly rounded but for rare cases. */
export function preciseCos(x: number): number {
  if (!(Math.abs(x) <= 8)) return Math.cos(x);
  sinCos(x);
  return cosineHigh + cosineLow;
}

// asin of vh + vl in [0, 0.5] as a double-double: one Newton step on sin(y) = v from fdlibm's estimate.
function asinSmall(vh: number, vl: number): number {
  const estimate = Math.asin(vh);
  sinCos(estimate);
  const difference = add(sineHigh, sineLow, -vh, -vl);
  const correction = (difference + low) / cosineHigh;
  return twoSum(estimate, -correction);
}

/** asin(s) for 0 ≤ s ≤ 1, correctly rounded but for rare cases (π/2 − 2·asin(√((1−s)/2)) above 0.5). */
export function preciseAsin(s: number): number {
  if (!(s > 0) || s > 1) return Math.asin(s);
  if (s <= 0.5) {
    const hi = asinSmall(s, 0);
    return hi + low;
  }
  const half = (1 - s) / 2; // exact for s in [0.5, 1]
  if (half === 0) return HALF_PI_1;
  const root = Math.sqrt(half);
  const square = twoProduct(root, root);
  const rootLow = (half - square - low) / (2 * root);
  const innerHigh = asinSmall(root, rootLow);
  const innerLow = low;
  const hi = add(HALF_PI_1, HALF_PI_2, -2 * innerHigh, -2 * innerLow);
  return hi + low;
}
