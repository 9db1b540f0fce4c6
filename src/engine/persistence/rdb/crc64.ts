// CRC-64/Jones as Redis computes it (crc64.c): polynomial 0xad93d23594c935a9, reflected input and
// output, initial value 0, no final xor. Check value of "123456789": 0xe9c6d914c4b8d9ca.
// Slicing-by-8 over two 32-bit halves (no BigInt on the hot path).

const POLY_REFLECTED = reflect64(0xad93d23594c935a9n);
const SLICES = 8;
/** TABLE_LO[k * 256 + i] / TABLE_HI[...]: the low/high halves of slice table k. */
const TABLE_LO = new Uint32Array(SLICES * 256);
const TABLE_HI = new Uint32Array(SLICES * 256);

function reflect64(value: bigint): bigint {
  let result = 0n;
  for (let bit = 0n; bit < 64n; bit += 1n) if ((value >> bit) & 1n) result |= 1n << (63n - bit);
  return result;
}

function buildTables(): void {
  const mask = (1n << 64n) - 1n;
  const base: bigint[] = [];
  for (let index = 0; index < 256; index += 1) {
    let crc = BigInt(index);
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1n ? (crc >> 1n) ^ POLY_REFLECTED : crc >> 1n;
    base.push(crc & mask);
  }
  let previous = base;
  for (let slice = 0; slice < SLICES; slice += 1) {
    const current =
      slice === 0 ? base : previous.map((value) => ((value >> 8n) ^ (base[Number(value & 0xffn)] as bigint)) & mask);
    for (let index = 0; index < 256; index += 1) {
      const value = current[index] as bigint;
      TABLE_LO[slice * 256 + index] = Number(value & 0xffffffffn);
      TABLE_HI[slice * 256 + index] = Number(value >> 32n);
    }
    previous = current;
  }
}
buildTables();

/** A running CRC64 as two unsigned 32-bit halves. */
export interface Crc64State {
  lo: number;
  hi: number;
}

/** A fresh CRC (value 0). */
export function createCrc64(): Crc64State {
  return { lo: 0, hi: 0 };
}

/** Feeds bytes[start, end) into the CRC. */
export function updateCrc64(state: Crc64State, bytes: Uint8Array, start = 0, end = bytes.length): void {
  let lo = state.lo;
  let hi = state.hi;
  let index = start;
  const lo0 = TABLE_LO;
  const hi0 = TABLE_HI;
  while (end - index >= 8) {
    const a = lo ^ (bytes[index]! | (bytes[index + 1]! << 8) | (bytes[index + 2]! << 16) | (bytes[index + 3]! << 24));
    const b =
      hi ^ (bytes[index + 4]! | (bytes[index + 5]! << 8) | (bytes[index + 6]! << 16) | (bytes[index + 7]! << 24));
    const i7 = 7 * 256 + (a & 0xff);
    const i6 = 6 * 256 + ((a >>> 8) & 0xff);
    const i5 = 5 * 256 + ((a >>> 16) & 0xff);
    const i4 = 4 * 256 + (a >>> 24);
    const i3 = 3 * 256 + (b & 0xff);
    const i2 = 2 * 256 + ((b >>> 8) & 0xff);
    const i1 = 256 + ((b >>> 16) & 0xff);
    const i0 = b >>> 24;
    lo = lo0[i7]! ^ lo0[i6]! ^ lo0[i5]! ^ lo0[i4]! ^ lo0[i3]! ^ lo0[i2]! ^ lo0[i1]! ^ lo0[i0]!;
    hi = hi0[i7]! ^ hi0[i6]! ^ hi0[i5]! ^ hi0[i4]! ^ hi0[i3]! ^ hi0[i2]! ^ hi0[i1]! ^ hi0[i0]!;
    index += 8;
  }
  while (index < end) {
    const slot = (lo ^ bytes[index]!) & 0xff;
    // crc = table[slot] ^ (crc >>> 8) across the two halves.
    const shiftedLo = (lo >>> 8) | ((hi & 0xff) << 24);
    const shiftedHi = hi >>> 8;
    lo = lo0[slot]! ^ shiftedLo;
    hi = hi0[slot]! ^ shiftedHi;
    index += 1;
  }
  state.lo = lo >>> 0;
  state.hi = hi >>> 0;
}

/** The CRC as a bigint. */
export function crc64Value(state: Crc64State): bigint {
  return (BigInt(state.hi >>> 0) << 32n) | BigInt(state.lo >>> 0);
}

/** CRC64 of a whole byte array. */
export function crc64(bytes: Uint8Array): bigint {
  const state = createCrc64();
  updateCrc64(state, bytes);
  return crc64Value(state);
}

/** Writes the CRC as 8 little-endian bytes (the RDB trailer). */
export function crc64Bytes(state: Crc64State): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, state.lo >>> 0, true);
  view.setUint32(4, state.hi >>> 0, true);
  return out;
}
