// BITFIELD's integer arithmetic: reading and writing 1..64-bit signed/unsigned fields at any bit
// offset (bit 0 = most significant bit of byte 0), and Redis's overflow rules for WRAP, SAT and FAIL,
// computed on 64-bit two's complement values (BigInt.asIntN / asUintN) so every edge matches C.

/** How a BITFIELD write treats overflow. */
export type OverflowMode = "WRAP" | "SAT" | "FAIL";

/** The result of an overflow check: whether it overflowed and, for WRAP and SAT, the value to store. */
export interface OverflowCheck {
  readonly overflow: boolean;
  readonly limit: bigint;
}

const ALL_ONES = (1n << 64n) - 1n;

/** Reads `bits` bits at `offset` as an unsigned value; `byteAt` returns 0 past the end. */
export function readUnsigned(byteAt: (index: number) => number, offset: number, bits: number): bigint {
  let value = 0n;
  for (let position = offset; position < offset + bits; position += 1) {
    const bit = (byteAt(Math.floor(position / 8)) >> (7 - (position % 8))) & 1;
    value = (value << 1n) | BigInt(bit);
  }
  return value;
}

/** Reads `bits` bits at `offset` as a two's complement signed value. */
export function readSigned(byteAt: (index: number) => number, offset: number, bits: number): bigint {
  return BigInt.asIntN(bits, readUnsigned(byteAt, offset, bits));
}

/** Writes the low `bits` bits of value at `offset` through byteAt/setByte (whole bytes at a time). */
export function writeBits(
  byteAt: (index: number) => number,
  setByte: (index: number, byte: number) => void,
  offset: number,
  bits: number,
  value: bigint,
): void {
  const unsigned = BigInt.asUintN(64, value);
  let position = offset;
  while (position < offset + bits) {
    const byteIndex = Math.floor(position / 8);
    let byte = byteAt(byteIndex);
    for (; position < offset + bits && Math.floor(position / 8) === byteIndex; position += 1) {
      const bit = Number((unsigned >> BigInt(bits - 1 - (position - offset))) & 1n);
      const shift = 7 - (position % 8);
      byte = (byte & ~(1 << shift)) | (bit << shift);
    }
    setByte(byteIndex, byte);
  }
}

/** Redis's checkUnsignedBitfieldOverflow: value (a uint64) plus incr (an int64) in a `bits`-bit field. */
export function checkUnsigned(value: bigint, increment: bigint, bits: number, mode: OverflowMode): OverflowCheck {
  const max = bits === 64 ? ALL_ONES : (1n << BigInt(bits)) - 1n;
  const maxIncrement = BigInt.asIntN(64, max - value);
  const minIncrement = BigInt.asIntN(64, -value);
  const wrapped = (): bigint => BigInt.asUintN(64, value + increment) & max;
  if (value > max || (increment > 0n && increment > maxIncrement))
    return { overflow: true, limit: mode === "WRAP" ? wrapped() : max };
  if (increment < 0n && increment < minIncrement) return { overflow: true, limit: mode === "WRAP" ? wrapped() : 0n };
  return { overflow: false, limit: 0n };
}

/** Redis's checkSignedBitfieldOverflow: value plus incr (both int64) in a `bits`-bit signed field. */
export function checkSigned(value: bigint, increment: bigint, bits: number, mode: OverflowMode): OverflowCheck {
  const max = (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxIncrement = BigInt.asIntN(64, BigInt.asUintN(64, max) - BigInt.asUintN(64, value));
  const minIncrement = BigInt.asIntN(64, min - value);
  const wrapped = (): bigint => {
    let sum = BigInt.asUintN(64, value + increment);
    if (bits < 64) {
      const mask = BigInt.asUintN(64, ALL_ONES << BigInt(bits));
      sum = (sum & (1n << BigInt(bits - 1))) !== 0n ? sum | mask : sum & ~mask & ALL_ONES;
    }
    return BigInt.asIntN(64, sum);
  };
  if (
    value > max ||
    (bits !== 64 && increment > maxIncrement) ||
    (value >= 0n && increment > 0n && increment > maxIncrement)
  ) {
    return { overflow: true, limit: mode === "WRAP" ? wrapped() : max };
  }
  if (
    value < min ||
    (bits !== 64 && increment < minIncrement) ||
    (value < 0n && increment < 0n && increment < minIncrement)
  ) {
    return { overflow: true, limit: mode === "WRAP" ? wrapped() : min };
  }
  return { overflow: false, limit: 0n };
}
