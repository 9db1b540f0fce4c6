// The HyperLogLog string layout Redis 7.0 uses (a 16-byte header "HYLL", encoding, 3 unused bytes,
// the cached cardinality as 8 little-endian bytes whose top bit marks it stale), dense registers
// (16384 6-bit counters packed LSB first), and the cardinality estimate from a register histogram
// (Ertl's improved estimator, as hllCount computes it, so both servers print the same counts).

export const HLL_P = 14;
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
export const HLL_REGISTER_MAX = 63;
export const HLL_HEADER_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HEADER_SIZE + Math.floor((HLL_REGISTERS * 6 + 7) / 8);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
/** Offset of the encoding byte and of the cached cardinality in the header. */
export const HLL_ENCODING_OFFSET = 4;
export const HLL_CARD_OFFSET = 8;

const ALPHA_INF = 0.7213475204444817;

/** The 6-bit register `index` of dense registers starting at `base` (bytes may extend one past). */
export function getDenseRegister(bytes: Uint8Array, base: number, index: number): number {
  const bit = index * 6;
  const byte = base + (bit >> 3);
  const shift = bit & 7;
  const b0 = bytes[byte] as number;
  const b1 = shift > 2 ? (bytes[byte + 1] as number) : 0;
  return ((b0 >> shift) | (b1 << (8 - shift))) & HLL_REGISTER_MAX;
}

/** Sets the 6-bit register `index` (value ≤ 63) of dense registers starting at `base`. */
export function setDenseRegister(bytes: Uint8Array, base: number, index: number, value: number): void {
  const bit = index * 6;
  const byte = base + (bit >> 3);
  const shift = bit & 7;
  bytes[byte] = ((bytes[byte] as number) & ~(HLL_REGISTER_MAX << shift) & 0xff) | ((value << shift) & 0xff);
  if (shift > 2)
    bytes[byte + 1] = ((bytes[byte + 1] as number) & ~(HLL_REGISTER_MAX >> (8 - shift))) | (value >> (8 - shift));
}

/** Adds the dense registers' values to a 64-slot histogram. */
export function denseHistogram(bytes: Uint8Array, base: number, histogram: Int32Array): void {
  for (let index = 0; index < HLL_REGISTERS; index += 1) {
    const value = getDenseRegister(bytes, base, index);
    histogram[value] = (histogram[value] as number) + 1;
  }
}

// Ertl's sigma and tau (arXiv:1702.01284), iterated to convergence as Redis does.
function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let previous: number;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (previous !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let previous: number;
  do {
    x = Math.sqrt(x);
    previous = z;
    y *= 0.5;
    const rest = 1 - x;
    z -= rest * rest * y;
  } while (previous !== z);
  return z / 3;
}

/** The estimated cardinality from a register histogram (counts of registers per value). */
export function estimateFromHistogram(histogram: Int32Array): number {
  const m = HLL_REGISTERS;
  let z = m * tau((m - (histogram[HLL_Q + 1] as number)) / m);
  for (let value = HLL_Q; value >= 1; value -= 1) {
    z += histogram[value] as number;
    z *= 0.5;
  }
  z += m * sigma((histogram[0] as number) / m);
  return Math.round((ALPHA_INF * m * m) / z);
}
