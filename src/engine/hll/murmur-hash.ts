// MurmurHash64A as Redis's HyperLogLog uses it (endian-neutral: 8-byte blocks read little endian,
// seed 0xadc83b19), and the register index / zero-run length Redis derives from the hash. 64-bit
// arithmetic runs on two unsigned 32-bit halves: BigInt would cost ~50x more per element.

/** Redis's seed for HyperLogLog element hashes. */
export const HLL_HASH_SEED = 0xadc83b19;

const M_HIGH = 0xc6a4a793;
const M_LOW = 0x5bd1e995;

// High 32 bits of the 64-bit product of two unsigned 32-bit numbers.
function multiplyHigh(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  let t = a0 * b0;
  const k0 = t >>> 16;
  t = a1 * b0 + k0;
  const w1 = t & 0xffff;
  const w2 = t >>> 16;
  t = a0 * b1 + w1;
  const k1 = t >>> 16;
  return (a1 * b1 + w2 + k1) >>> 0;
}

/** A 64-bit value as unsigned halves. */
export interface Word64 {
  high: number;
  low: number;
}

// 64-bit state kept in a typed array: object fields holding uint32 values would be boxed numbers.
// [0, 1] = the hash (high, low), [2, 3] = the current 8-byte block (high, low).
const state = new Uint32Array(4);

// state[at, at + 1] *= m (mod 2^64).
function multiplyByM(at: number): void {
  const high = state[at] as number;
  const low = state[at + 1] as number;
  state[at] = multiplyHigh(low, M_LOW) + Math.imul(high, M_LOW) + Math.imul(low, M_HIGH);
  state[at + 1] = Math.imul(low, M_LOW);
}

// state[at, at + 1] ^= state[at, at + 1] >> 47.
function xorShift47(at: number): void {
  state[at + 1] = (state[at + 1] as number) ^ ((state[at] as number) >>> 15);
}

// Hashes bytes [0, length) into state[0, 1].
function hashInto(data: Uint8Array, length: number): void {
  state[0] = 0;
  state[1] = length;
  multiplyByM(0);
  state[1] = (state[1] as number) ^ HLL_HASH_SEED;
  const blocks = length - (length & 7);
  for (let index = 0; index < blocks; index += 8) {
    state[3] =
      (data[index] as number) |
      ((data[index + 1] as number) << 8) |
      ((data[index + 2] as number) << 16) |
      ((data[index + 3] as number) << 24);
    state[2] =
      (data[index + 4] as number) |
      ((data[index + 5] as number) << 8) |
      ((data[index + 6] as number) << 16) |
      ((data[index + 7] as number) << 24);
    multiplyByM(2);
    xorShift47(2);
    multiplyByM(2);
    state[0] = (state[0] as number) ^ (state[2] as number);
    state[1] = (state[1] as number) ^ (state[3] as number);
    multiplyByM(0);
  }
  const tail = length & 7;
  if (tail !== 0) {
    for (let index = tail - 1; index >= 0; index -= 1) {
      const byte = data[blocks + index] as number;
      if (index >= 4) state[0] = (state[0] as number) ^ (byte << ((index - 4) * 8));
      else state[1] = (state[1] as number) ^ (byte << (index * 8));
    }
    multiplyByM(0);
  }
  xorShift47(0);
  multiplyByM(0);
  xorShift47(0);
}

/** MurmurHash64A of bytes [0, length) with Redis's HLL seed. */
export function murmurHash64A(data: Uint8Array, length: number): Word64 {
  hashInto(data, length);
  return { high: state[0] as number, low: state[1] as number };
}

let scratch = new Uint8Array(256);

// Copies a latin1 string into the scratch bytes.
function toScratch(text: string): void {
  if (text.length > scratch.length) scratch = new Uint8Array(Math.max(text.length, scratch.length * 2));
  for (let index = 0; index < text.length; index += 1) scratch[index] = text.charCodeAt(index);
}

/** MurmurHash64A of a latin1 string (one byte per char). */
export function murmurHashString(text: string): Word64 {
  toScratch(text);
  return murmurHash64A(scratch, text.length);
}

/** The register (low 14 bits of the hash) and the run length Redis's hllPatLen derives from a hash. */
export interface PatternOf {
  register: number;
  count: number;
}

// hllPatLen on the hash in state[0, 1]: the register index is the hash's low 14 bits; the count is
// 1 + the number of zero bits above them (bit 64 acts as a sentinel, so at most 51).
function patternFromState(out: PatternOf): PatternOf {
  const high = state[0] as number;
  const low = state[1] as number;
  out.register = low & 0x3fff;
  const lowPart = low >>> 14;
  let zeros: number;
  if (lowPart !== 0) zeros = 31 - Math.clz32(lowPart & -lowPart);
  else if (high !== 0) zeros = 18 + (31 - Math.clz32(high & -high));
  else zeros = 50;
  out.count = zeros + 1;
  return out;
}

/** Register and count of a latin1 string element (what PFADD adds). */
export function patternOfString(text: string, out: PatternOf): PatternOf {
  toScratch(text);
  hashInto(scratch, text.length);
  return patternFromState(out);
}

/** Register and count of a byte element. */
export function patternOfBytes(data: Uint8Array, length: number, out: PatternOf): PatternOf {
  hashInto(data, length);
  return patternFromState(out);
}
